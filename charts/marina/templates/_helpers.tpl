{{- define "marina.labels" -}}
app.kubernetes.io/part-of: marina
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "marina.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
