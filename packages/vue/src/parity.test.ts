// "Same names and shapes in React and Vue": each Vue hook returns React's fields, each as a
// read-only ref, and React's functions as they are. A renamed or missing field fails typecheck.
import { isReadonly, isRef, type Ref } from 'vue'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type * as React from '@oauth-spa/react'
import type * as Vue from './index.js'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { useAuth } from './useAuth.js'
import { mountWith } from './test/mountWith.js'

/** A Vue result with each ref replaced by its value's type: what React returns. */
type Unref<T> = { -readonly [K in keyof T]: T[K] extends Readonly<Ref<infer V>> ? V : T[K] }
/** React's result as one object type (`useAuth`'s is a union on `status`). */
type Flat<T> = Pick<T, keyof T>

describe('the same names and shapes as @oauth-spa/react', () => {
  it('each hook’s result: React’s fields as refs, React’s functions as they are (types)', () => {
    expectTypeOf<Unref<Omit<Vue.UseAuthResult, 'state'>>>().toEqualTypeOf<
      Flat<React.UseAuthResult>
    >()
    expectTypeOf<Unref<Vue.UseAccessTokenResult>>().toEqualTypeOf<
      Flat<React.UseAccessTokenResult>
    >()
    expectTypeOf<Unref<Vue.UseAuthCallbackResult>>().toEqualTypeOf<
      Flat<React.UseAuthCallbackResult>
    >()
    expectTypeOf<Unref<Vue.UseDeviceLoginResult>>().toEqualTypeOf<
      Flat<React.UseDeviceLoginResult>
    >()
    expectTypeOf<Vue.DeviceLoginStatus>().toEqualTypeOf<React.DeviceLoginStatus>()
  })

  it('the same options (types)', () => {
    expectTypeOf<Vue.UseAccessTokenOptions>().toEqualTypeOf<React.UseAccessTokenOptions>()
    expectTypeOf<Vue.UseAuthCallbackOptions>().toEqualTypeOf<React.UseAuthCallbackOptions>()
  })

  it('useAuth() returns React’s keys, each field a read-only ref, plus `state`', () => {
    // `satisfies` fails typecheck when a key is missing from this list or not React's.
    const reactKeys = {
      status: 'field',
      user: 'field',
      expiresAt: 'field',
      error: 'field',
      storage: 'field',
      login: 'function',
      logout: 'function',
    } satisfies Record<keyof React.UseAuthResult, 'field' | 'function'>
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    const { value } = mountWith(auth, useAuth)
    expect(Object.keys(value).sort()).toEqual([...Object.keys(reactKeys), 'state'].sort())
    const state = auth.getState()
    for (const [key, kind] of Object.entries(reactKeys)) {
      const got = value[key as keyof typeof reactKeys]
      if (kind === 'function') {
        expect(got).toBeTypeOf('function')
      } else {
        expect(isRef(got) && isReadonly(got), key).toBe(true)
        expect((got as Ref<unknown>).value).toBe(state[key as keyof typeof state])
      }
    }
  })
})
