import { action, anyScope, channel, Type, WEB_POST } from '@servey/core'

/**
 * Where alerts are POSTed. A private address (such as a receiver on this machine) must also be
 * listed in SERVEY_CALLBACK_ALLOWED_HOSTS, or the SSRF rules refuse it.
 */
const ALERTS_WEBHOOK_URL =
  process.env['SHOWCASE_ALERTS_WEBHOOK_URL'] ?? 'https://hooks.example.com/servey-alerts'

/**
 * A webhook channel: every alert is POSTed as signed JSON to the receiver. Subscribing (over a
 * websocket or SSE) takes a token with the `root` scope, as `only_for_root` does.
 */
export const alerts = channel('alerts', {
  payload: Type.Object({ level: Type.Integer({ minimum: 0, maximum: 5 }), text: Type.String() }),
  description: 'Operational alerts, forwarded to a webhook; subscribers need the root scope',
  access: anyScope('root'),
  examples: [{ name: 'disk', event: { level: 4, text: 'disk 91% full' } }],
  handlers: [{ webhook: ALERTS_WEBHOOK_URL, timeout: '5s', attempts: 5, backoff: '1s' }],
})

export const raise_alert = action(
  {
    triggers: [WEB_POST],
    publishes: [alerts],
    params: Type.Object({ level: Type.Integer({ minimum: 0, maximum: 5 }), text: Type.String() }),
    result: Type.Object({ event: Type.String() }),
    description: 'Raise an alert: published to alerts, whose webhook receives it',
  },
  async (alert, context) => ({ event: (await context.publish(alerts, alert)).id }),
)
