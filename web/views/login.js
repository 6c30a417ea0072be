// Register or log in. One form: the button pressed decides which.
import { h, describeError } from '../dom.js';

export function renderLogin(root, session, onSignedIn) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, placeholder: 'username' });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    minLength: 8,
    placeholder: 'password (8 characters or more)',
  });
  const displayName = h('input', { name: 'display_name', placeholder: 'display name (optional, for registering)' });
  const error = h('p', { class: 'error', role: 'alert' });

  async function submit(action) {
    error.textContent = '';
    if (!username.value || !password.value) {
      error.textContent = 'Username and password are needed.';
      return;
    }
    try {
      if (action === 'register') await session.register(username.value.trim(), password.value, displayName.value.trim());
      else await session.login(username.value.trim(), password.value);
      onSignedIn();
    } catch (err) {
      error.textContent = describeError(err);
    }
  }

  const form = h(
    'form',
    { class: 'login', onsubmit: (e) => (e.preventDefault(), submit(e.submitter?.value || 'login')) },
    h('h1', {}, 'Parley'),
    h('label', {}, 'Username', username),
    h('label', {}, 'Password', password),
    h('label', {}, 'Display name', displayName),
    h('div', { class: 'buttons' }, h('button', { value: 'login' }, 'Log in'), h('button', { value: 'register' }, 'Register')),
    error,
  );
  root.replaceChildren(form);
  username.focus();
}
