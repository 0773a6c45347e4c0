import { action } from '@servey/core'

export const first = action({ name: 'same' }, () => 1)
export const second = action({ name: 'same' }, () => 2)
