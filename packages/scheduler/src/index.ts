/**
 * @module @servey/scheduler: schedules (`every`, `cron`) and background jobs for Servey
 * actions. In-process with nothing installed; BullMQ on Redis when `REDIS_URL` is set.
 */
export {
  every,
  cron,
  isScheduleTrigger,
  nextRunAfter,
  describeSchedule,
  type ScheduleTrigger,
  type ScheduledRunTrigger,
  type ScheduleOptions,
  type CronOptions,
  type Overlap,
} from './schedule-trigger.ts'
export { systemAuthorization } from './system-authorization.ts'
export { schedulesOf, type Schedule } from './schedules-of.ts'
export {
  startScheduler,
  type Scheduler,
  type SettledWork,
  type SchedulerOptions,
  type CallbackOptions,
} from './create-scheduler.ts'
export type { ScheduledRunEvent } from './in-process/in-process-scheduler.ts'
export type { JobTrigger } from './run-job.ts'
export { reportProgress } from './report-progress.ts'
export type { CallbackBody } from './callbacks/callback-body.ts'
// Signing and the webhook sender live in @servey/webhooks (shared with other adapters); they are
// re-exported here, where receivers and servers found them first.
export {
  signCallback,
  verifyCallbackSignature,
  SIGNATURE_HEADER,
  type VerifyOptions,
  createWebhookSender,
  CHANNEL_HEADER,
  EVENT_ID_HEADER,
  type WebhookSenderOptions,
  type ClosableWebhookSender,
} from '@servey/webhooks'
export { schedulerDefinitionErrors } from './errors.ts'
