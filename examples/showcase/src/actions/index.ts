// The showcase's actions, one file per group; the CLI and the tests load this module.
export { say_hello } from './say-hello.ts'
export { greet_by_path } from './greeting.ts'
export { number_stats, stats_for_numbers, factorial } from './number-stats.ts'
export { generated } from './generated.ts'
export { echo_authorization, only_for_root } from './security.ts'
export { slow_get_with_ttl, etag_example } from './caching.ts'
export { current_time_page } from './pages.ts'
export { predict, heartbeat } from './jobs.ts'
export { signups, sign_up, send_welcome, welcomes_sent } from './signups.ts'
export { alerts, raise_alert } from './alerts.ts'
export {
  orders,
  place_order,
  order_journal,
  hold_for_review,
  record_order,
  ship_express,
  ship_standard,
} from './orders.ts'
export { messenger, broadcast_message } from './messenger.ts'
