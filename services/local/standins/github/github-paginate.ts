/** GitHub's REST pagination: `per_page` (30 by default, at most 100) and `page`, with a `Link` header. */

export interface Page<T> {
  readonly items: readonly T[];
  /** `<…&page=2>; rel="next", <…&page=5>; rel="last"`, or undefined when everything fits on one page. */
  readonly link: string | undefined;
}

export function paginate<T>(all: readonly T[], requestUrl: string): Page<T> {
  const url = new URL(requestUrl);
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    link: linkHeader(url, page, perPage, all.length),
  };
}

function linkHeader(requestUrl: URL, page: number, perPage: number, total: number): string | undefined {
  const last = Math.max(Math.ceil(total / perPage), 1);
  const at = (target: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return url.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}
