import { randomUUID } from "node:crypto";
import type { TSessionContext } from "@lunar/db";
import { AppError } from "@lunar/shared";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { logger } from "@/lib/logger";
import { readSessionFromRequest } from "@/modules/auth/lib/read-session";
import { SESSION_COOKIE, sessionCookieHeader } from "@/modules/auth/lib/session-cookie";
import { checkSameOrigin } from "./check-same-origin";
import { problemResponse } from "./problem-response";
import { readJsonBody } from "./read-json-body";
import { readQuery } from "./read-query";
import { validate } from "./validate";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

interface HandlerInput<TBody, TParams, TQuery, TSession> {
  request: NextRequest;
  requestId: string;
  body: TBody;
  params: TParams;
  query: TQuery;
  session: TSession;
}

interface RouteOptions<
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
> {
  body?: B;
  params?: P;
  /** The query string (one value per parameter; empty values left out, see readQuery). */
  query?: Q;
  /** Body size limit in bytes; 16 KiB (MAX_JSON_BODY_BYTES) unless a route needs more. */
  maxBodyBytes?: number;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * The one wrapper every API route goes through: request id, same-origin check on writes,
 * session auth (API keys never open this API), params, query and JSON body validated by zod,
 * and every failure turned into problem+json. Unknown errors are logged and become a bare 500.
 */
function wrap<
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  S,
>(
  options: RouteOptions<B, P, Q>,
  authenticate: (request: NextRequest) => Promise<S>,
  handler: (input: HandlerInput<Infer<B>, Infer<P>, Infer<Q>, S>) => Promise<Response>,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    try {
      if (!["GET", "HEAD"].includes(request.method)) checkSameOrigin(request);
      const session = await authenticate(request);
      const params = options.params ? validate(options.params, await context.params) : undefined;
      const query = options.query
        ? validate(options.query, readQuery(request.nextUrl.searchParams))
        : undefined;
      const body = options.body
        ? validate(options.body, await readJsonBody(request, options.maxBodyBytes))
        : undefined;
      const response = await handler({
        request,
        requestId,
        session,
        body: body as Infer<B>,
        params: params as Infer<P>,
        query: query as Infer<Q>,
      });
      response.headers.set("x-request-id", requestId);
      renewSessionCookie(request, session, response);
      return response;
    } catch (error) {
      if (error instanceof AppError) return problemResponse(error, requestId);
      logger().error(
        { err: error, requestId, path: request.nextUrl.pathname },
        "unhandled API error",
      );
      return problemResponse(
        new AppError("internal", "Something went wrong on our side"),
        requestId,
      );
    }
  };
}

export function publicRoute<
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
>(
  options: RouteOptions<B, P, Q>,
  handler: (input: HandlerInput<Infer<B>, Infer<P>, Infer<Q>, null>) => Promise<Response>,
) {
  return wrap(options, async () => null, handler);
}

export function sessionRoute<
  B extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
>(
  options: RouteOptions<B, P, Q>,
  handler: (
    input: HandlerInput<Infer<B>, Infer<P>, Infer<Q>, TSessionContext>,
  ) => Promise<Response>,
) {
  return wrap(options, requireSession, handler);
}

async function requireSession(request: NextRequest): Promise<TSessionContext> {
  const session = await readSessionFromRequest(request);
  if (!session) throw new AppError("unauthenticated", "Sign in to use this API");
  return session;
}

/** Sliding sessions: when the server moved the expiry, the browser's cookie moves with it. */
function renewSessionCookie(request: NextRequest, session: unknown, response: Response): void {
  const context = session as TSessionContext | null;
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (context?.refreshed && token && !response.headers.has("set-cookie")) {
    response.headers.append("set-cookie", sessionCookieHeader(request, token, context.expiresAt));
  }
}

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store" } });
}
