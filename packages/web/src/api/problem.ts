/** One field the server found fault with: `body.dn`, `query.limit`, `body.forward.busy.destination`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The server's RFC 9457 problem+json answer (docs/admin-api.md, "Errors"). */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: FieldProblem[];
  retryAfterSeconds?: number;
}

/** A request the server refused, carrying its problem so a form can show each field's message beside it. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Reads a failed response as a problem; an answer that is not problem+json (a proxy's page) becomes one. */
export async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (typeof parsed.detail === 'string' && typeof parsed.code === 'string') {
      return { status: response.status, title: parsed.title ?? parsed.code, ...parsed } as Problem;
    }
  } catch {
    // not JSON: described below
  }
  return {
    status: response.status,
    code: 'HTTP_' + response.status,
    title: response.statusText,
    detail: `the server answered ${response.status} ${response.statusText}${text === '' ? '' : `: ${text.slice(0, 200)}`}`,
  };
}
