// Publishes one event (a JSON line on stdin) to a hosted relay as a plain
// client and prints the OK's accepted flag and message:
//   node publish_one.mjs PORT HOST < event.json    ->  "false invalid: ..."
import { readFileSync } from 'node:fs'
import { RelayClient } from './relay_client.mjs'

const [port, host] = process.argv.slice(2)
const event = JSON.parse(readFileSync(0, 'utf8').split('\n')[0])
const client = await RelayClient.open(Number(port), host)
const ok = await client.publish(event)
console.log(`${ok.accepted} ${ok.message}`)
client.ws.close()
