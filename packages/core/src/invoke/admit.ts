import type { Authorization } from '../action/context.ts'
import { ActionError, toActionError } from '../errors/action-error.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'
import {
  checkAccessAfterValidation,
  checkAccessBeforeValidation,
} from '../security/check-access.ts'
import {
  resolveCaller,
  validParams,
  type InvokeRequest,
  type PipelineSettings,
} from './pipeline.ts'

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
    const authorization = await resolveCaller(request, settings)
    const access = action.definition.access
    if (access.kind !== 'allow_all') checkAccessBeforeValidation(access, authorization)
    if (action.definition.parent !== undefined) {
      throw new ActionError('BAD_REQUEST', `Action ${action.name} cannot run on its own`)
    }
    const params = validParams(action, request.input === undefined ? {} : request.input, request)
    if (access.kind === 'custom') await checkAccessAfterValidation(access, authorization, params)
    return { ok: true, authorization, params }
  } catch (thrown) {
    return { ok: false, error: toActionError(thrown) }
  }
}
