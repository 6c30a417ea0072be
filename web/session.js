// The login: who we are and our tokens, kept in localStorage so that a reload (or a browser
// started while the server is down) resumes without asking for the password again.
import { http } from './api.js';

const KEY = 'parley.session';

export class Session {
  constructor() {
    this.data = null;
    this.refreshing = null;
    try {
      this.data = JSON.parse(localStorage.getItem(KEY));
    } catch {
      this.data = null;
    }
  }

  get user() {
    return this.data?.user ?? null;
  }

  accessToken() {
    return this.data?.access_token ?? '';
  }

  save(tokens) {
    this.data = { user: tokens.user, access_token: tokens.access_token, refresh_token: tokens.refresh_token };
    localStorage.setItem(KEY, JSON.stringify(this.data));
  }

  clear() {
    this.data = null;
    localStorage.removeItem(KEY);
  }

  async register(username, password, displayName) {
    const body = { username, password };
    if (displayName) body.display_name = displayName;
    this.save(await http('POST', '/v1/auth/register', body));
  }

  async login(username, password) {
    this.save(await http('POST', '/v1/auth/login', { username, password }));
  }

  // One refresh at a time: a refresh token works once, so two concurrent refreshes would make
  // the server see a replay and revoke the whole login.
  refresh() {
    if (!this.refreshing) {
      this.refreshing = http('POST', '/v1/auth/refresh', { refresh_token: this.data?.refresh_token ?? '' })
        .then((tokens) => {
          this.save(tokens);
          return tokens.access_token;
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  async logout() {
    const refresh = this.data?.refresh_token;
    this.clear();
    if (refresh) await http('POST', '/v1/auth/logout', { refresh_token: refresh }).catch(() => {});
  }
}
