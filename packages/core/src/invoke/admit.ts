import type { Authorization } from '../action/context.ts'
import { ActionError, toActionError } from '../errors/action-error.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'
import { summarizeIssues } from '../schema/validator.ts'
import {
  checkAccessAfterValidation,
  checkAccessBeforeValidation,
  checkValidity,
} from '../security/check-access.ts'
import { authenticate, type InvokeRequest, type PipelineSettings } from './pipeline.ts'

export type AdmitOutcome =
  | { readonly ok: true; readonly authorization: Authorization | null; readonly params: unknown }
  | { readonly ok: false; readonly error: ActionError }

/**
 * The checks of the pipeline that come before the handler (token, scopes, params, custom
 * access), without running it. A call that will run later (a background job) is admitted
 * first, so a bad token or bad input is refused at once and the job never runs as someone it
 * should not. The job itself still goes through the whole pipeline when it runs.
 */
export async function admitCall(
  action: RegisteredAction,
  request: InvokeRequest,
  settings: PipelineSettings,
): Promise<AdmitOutcome> {
  try {
    let authorization: Authorization | null = null
    if (request.authorization !== undefined) {
      checkValidity(request.authorization)
      authorization = request.authorization
    } else if (request.authorizationHeader !== undefined) {
      authorization = await authenticate(settings.authenticator, request.authorizationHeader)
    }
    const access = action.definition.access
    if (access.kind !== 'allow_all') checkAccessBeforeValidation(access, authorization)
    if (action.definition.parent !== undefined) {
      throw new ActionError('BAD_REQUEST', `Action ${action.name} cannot run on its own`)
    }
    const input = request.input === undefined ? {} : request.input
    const issues = action.checkParams(input, request.inputSource ?? 'json')
    if (issues !== null) {
      throw new ActionError('INVALID_PARAMS', `Invalid params: ${summarizeIssues(issues)}`, {
        issues,
      })
    }
    if (access.kind === 'custom') await checkAccessAfterValidation(access, authorization, input)
    return { ok: true, authorization, params: input }
  } catch (thrown) {
    return { ok: false, error: toActionError(thrown) }
  }
}
