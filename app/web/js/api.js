// Calls to this server's API (same origin only) and the admin key kept in sessionStorage.

export const API = "/api/v1";
const KEY_STORAGE = "news-service.admin-key";

export class ApiError extends Error {
  constructor(status, error, detail) {
    super(detail || error || `HTTP ${status}`);
    this.status = status;
    this.error = error;
    this.detail = detail;
  }
}

export function adminKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || "";
  } catch {
    return "";
  }
}

export function setAdminKey(value) {
  try {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage disabled: the key lives only as long as this call */
  }
}

/** JSON from the API; failures become ApiError with the server's `detail` (or a network message). */
export async function api(path, { method = "GET", body, admin = false, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (admin && adminKey()) headers["X-API-Key"] = adminKey();
  let response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (exc) {
    if (exc && exc.name === "AbortError") throw exc;
    throw new ApiError(0, "NetworkError", "서버에 연결할 수 없습니다. 네트워크나 서버 상태를 확인해 주세요.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data && data.error, data && data.detail);
  }
  return data;
}

/** A Korean sentence for an API failure. */
export function describeError(exc) {
  if (!(exc instanceof ApiError)) return `예상하지 못한 오류: ${exc && exc.message ? exc.message : exc}`;
  const known = {
    0: exc.detail,
    401: "관리자 키가 필요합니다.",
    403: "관리자 키가 올바르지 않거나 관리 기능이 꺼져 있습니다.",
    404: "결과가 없습니다.",
    413: "요청이 너무 큽니다.",
    422: "입력값을 확인해 주세요.",
    429: "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.",
    502: "뉴스 제공처에서 오류가 발생했습니다.",
    503: "서비스를 일시적으로 사용할 수 없습니다.",
  };
  const head = known[exc.status] || `오류가 발생했습니다 (HTTP ${exc.status}).`;
  return exc.status === 0 || !exc.detail ? head : `${head} (${exc.detail})`;
}
