import { expectTypeOf, test } from 'vitest'
import type { AuthError, AuthErrorCode, AuthState, CallbackError, User } from './index.js'

// Compile-time checks (run by `pnpm typecheck`): the public types narrow the way apps rely on.
test('AuthState narrows on status', () => {
  const narrow = (state: AuthState) => {
    if (state.status === 'authenticated') {
      expectTypeOf(state.user).toEqualTypeOf<User>()
      expectTypeOf(state.expiresAt).toEqualTypeOf<number>()
    } else {
      expectTypeOf(state.user).toEqualTypeOf<null>()
      expectTypeOf(state.expiresAt).toEqualTypeOf<null>()
    }
  }
  expectTypeOf(narrow).toBeFunction()
})

test('errors carry a code union and structured fields', () => {
  expectTypeOf<AuthError['code']>().toEqualTypeOf<AuthErrorCode>()
  expectTypeOf<CallbackError['code']>().toEqualTypeOf<'callback_error'>()
  expectTypeOf<CallbackError['reason']>().toExtend<string>()
})
