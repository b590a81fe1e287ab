// One error handler for the whole API. Invalid input answers 400 with each field and the rule it
// broke; unexpected failures answer 500 without details (they go to the log instead).
import fp from 'fastify-plugin';
import { ZodError } from 'zod';
import { NonRetriableError, RetriableError, RetryAfterError } from '../../../schemas/errors.ts';

export interface ApiErrorBody {
  error: string;
  message: string;
  issues?: { field: string; rule: string }[];
}

export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler<Error & { statusCode?: number; validation?: unknown }>((err, req, reply) => {
      if (err instanceof ZodError) {
        const issues = err.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', rule: i.message }));
        return reply.code(400).send({ error: 'invalid_input', message: '输入不合法', issues } satisfies ApiErrorBody);
      }
      if (err instanceof NonRetriableError) {
        return reply.code(422).send({ error: 'unprocessable', message: err.message, ...(err.rule ? { issues: [{ field: '(input)', rule: err.rule }] } : {}) } satisfies ApiErrorBody);
      }
      if (err instanceof RetryAfterError) {
        return reply.code(503).header('retry-after', Math.ceil(err.retryAfterMs / 1000)).send({ error: 'unavailable', message: '服务暂时不可用，请稍后重试' } satisfies ApiErrorBody);
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.code(status).send({ error: err.name === 'Error' ? 'bad_request' : err.name, message: err.message } satisfies ApiErrorBody);
      }
      req.log.error({ err }, 'request failed');
      const retriable = err instanceof RetriableError;
      return reply.code(retriable ? 503 : 500).send({ error: retriable ? 'unavailable' : 'internal', message: retriable ? '服务暂时不可用，请稍后重试' : '服务器内部错误' } satisfies ApiErrorBody);
    });
    app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `没有这个地址：${req.method} ${req.url}` } satisfies ApiErrorBody));
    await Promise.resolve();
  },
  { name: 'yibiao-errors', fastify: '5.x' },
);
