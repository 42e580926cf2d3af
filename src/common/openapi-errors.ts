import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

/** NestJS's error body, which every REST error of DockPulse keeps (CONTRACT.md); some add fields. */
export const ERROR_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status again', example: 404 },
    message: {
      description: 'What went wrong; a list of messages for a body or query that failed validation',
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    },
    error: { type: 'string', description: "The status's reason phrase", example: 'Not Found' },
  },
  additionalProperties: true,
};

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Completes what the decorators leave implicit, for every operation at once:
 * - an error response declared with only a description gets the shared error body;
 * - an operation that requires a token answers 401 without one (the global AuthGuard);
 * - an operation without a security requirement is public, said as `security: []`.
 */
export function describeErrors(document: OpenAPIObject): void {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorResponse: ERROR_RESPONSE_SCHEMA } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (operation) describeOperationErrors(operation);
    }
  }
}

function describeOperationErrors(operation: OperationObject): void {
  if (!operation.security?.length) operation.security = [];
  const protectedOnly = operation.security.length > 0 && !operation.security.some((requirement) => Object.keys(requirement).length === 0);
  if (protectedOnly && !operation.responses['401']) {
    operation.responses['401'] = { description: 'Missing, invalid or expired token' };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    const described = response as ResponseObject;
    if (/^[45]\d\d$/.test(status) && !described.content) described.content = { 'application/json': { schema: ERROR_REF } };
  }
}
