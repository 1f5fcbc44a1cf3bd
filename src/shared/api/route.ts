/** One route of the service as the app calls it, and the helpers the two halves of the route table share. */
import { z } from 'zod'
import { id } from './common'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ApiRoute<I extends z.ZodType | null = z.ZodType | null, O extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod
  /** With `:name` for each path parameter, which the client takes out of the input. */
  readonly path: string
  /** null when the route takes nothing. GET sends what is left as the query string, the others as a JSON body. */
  readonly input: I
  readonly output: O
  /** 'optional' routes act for the signed-in account when there is one (e.g. add a device to it). */
  readonly auth: 'required' | 'optional' | 'none'
}

export const route = <I extends z.ZodType | null, O extends z.ZodType>(r: ApiRoute<I, O>): ApiRoute<I, O> => r

export const lineParam = z.object({ lineId: id }).strict()
