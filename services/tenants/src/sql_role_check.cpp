#include "sql_role_check.hpp"

namespace marina::tenants {

namespace {

// The functions migrations/0009_sql_sandbox.sql revokes from PUBLIC (by
// name, every overload), and the families matched by prefix there.
constexpr const char* kProblemsSql = R"SQL(
SELECT format('role %s is a superuser, or may create roles or databases, replicate or bypass row security', rolname)
FROM pg_roles
WHERE rolname = current_user AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)
UNION ALL
(SELECT format('role %s can read or change %s', current_user, c.oid::regclass)
 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'relay_sql') AND n.nspname NOT LIKE 'pg\_%'
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
 LIMIT 3)
UNION ALL
(SELECT format('role %s can execute %s', current_user, p.oid::regprocedure)
 FROM pg_proc p
 WHERE (p.proname = ANY ('{pg_advisory_lock,pg_advisory_lock_shared,pg_try_advisory_lock,pg_try_advisory_lock_shared,
        pg_advisory_xact_lock,pg_advisory_xact_lock_shared,pg_try_advisory_xact_lock,pg_try_advisory_xact_lock_shared,
        pg_advisory_unlock,pg_advisory_unlock_shared,pg_advisory_unlock_all,pg_notify,set_config,pg_cancel_backend,
        pg_terminate_backend,lo_create,lo_creat,lo_open,lo_close,loread,lowrite,lo_lseek,lo_lseek64,lo_tell,lo_tell64,
        lo_truncate,lo_truncate64,lo_unlink,lo_import,lo_export,lo_from_bytea,lo_put,lo_get,query_to_xml,
        query_to_xmlschema,query_to_xml_and_xmlschema,cursor_to_xml,cursor_to_xmlschema,ts_stat,ts_rewrite,
        txid_current,pg_current_xact_id,pg_logical_emit_message,pg_read_file,pg_read_binary_file,pg_ls_dir,
        pg_stat_file,pg_file_write,pg_file_rename,pg_file_unlink,pg_file_sync,pg_logdir_ls}'::name[])
        OR p.proname LIKE 'dblink%')
   AND has_function_privilege(p.oid, 'EXECUTE')
 LIMIT 3)
)SQL";

}  // namespace

std::vector<std::string> sandbox_role_problems(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  std::vector<std::string> problems;
  for (const auto& row : tx.exec(kProblemsSql)) problems.push_back(row[0].as<std::string>());
  return problems;
}

}  // namespace marina::tenants
