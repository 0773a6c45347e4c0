import type { JobsQueuePlan } from './jobs-plan.ts'
import type { StackResources } from './stack-resources.ts'

export const JOBS_QUEUE = 'ServeyJobsQueue'
export const JOBS_DEAD_LETTER_QUEUE = 'ServeyJobsDeadLetterQueue'
/** SQS's longest retention, for the failures someone has to look at. */
const FOURTEEN_DAYS = 1_209_600
/**
 * Redeliveries past a job's last try, before SQS itself moves a record to the dead-letter
 * queue: the consumer ends a failing job on its last try (and sends the next group on), so the
 * redrive policy only catches records whose function crashed or timed out each time.
 */
const REDRIVE_MARGIN = 2

/**
 * One standard queue for every background job of the app, a dead-letter queue behind it, the
 * variables that name them, and the least privilege the functions need on them. Serverless v3
 * gives every function one role, so every function may send (any action may publish) and the
 * consumer's receive, delete and visibility rights are on the jobs queue alone.
 */
export function jobsResources(plan: JobsQueuePlan): StackResources {
  const queueArn = { 'Fn::GetAtt': [JOBS_QUEUE, 'Arn'] }
  const deadLetterArn = { 'Fn::GetAtt': [JOBS_DEAD_LETTER_QUEUE, 'Arn'] }
  return {
    resources: {
      [JOBS_QUEUE]: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          VisibilityTimeout: plan.visibilityTimeout,
          MaximumMessageSize: 262_144,
          RedrivePolicy: {
            deadLetterTargetArn: deadLetterArn,
            maxReceiveCount: plan.maxAttempts + REDRIVE_MARGIN,
          },
        },
      },
      [JOBS_DEAD_LETTER_QUEUE]: {
        Type: 'AWS::SQS::Queue',
        Properties: { MessageRetentionPeriod: FOURTEEN_DAYS },
      },
    },
    statements: [
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [queueArn, deadLetterArn],
      },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
        ],
        Resource: queueArn,
      },
    ],
    environment: {
      SERVEY_JOBS_QUEUE_URL: { Ref: JOBS_QUEUE },
      SERVEY_JOBS_DLQ_URL: { Ref: JOBS_DEAD_LETTER_QUEUE },
    },
  }
}
