// Shared helpers of the portal's pages (no framework, no build step).

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

// POST a form's fields (or an object) to a page route; answers the parsed JSON and status.
export async function postForm(url, data) {
  const body = data instanceof FormData ? new URLSearchParams(data) : new URLSearchParams(data ?? {});
  const response = await fetch(url, {
    method: 'POST', body, credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrfToken(), Accept: 'application/json' },
  });
  let json = {};
  try { json = await response.json(); } catch { json = {}; }
  return { ok: response.ok, status: response.status, json };
}

// Show an error next to its field (the API envelope's `field`), or in the page alert;
// data-code keeps the API's error code beside the words.
export function showError(form, error) {
  const target = error.field && form.querySelector(`#${CSS.escape(error.field)}-error`);
  const text = error.message + (error.help ? ` ${error.help}` : '');
  if (target) {
    target.textContent = text;
    target.dataset.code = error.code ?? '';
    form.querySelector(`[name="${CSS.escape(error.field)}"]`)?.setAttribute('aria-invalid', 'true');
  } else {
    let alert = document.getElementById('page-error');
    if (!alert) {
      alert = document.createElement('div');
      alert.id = 'page-error';
      alert.className = 'alert error';
      alert.setAttribute('role', 'alert');
      form.before(alert);
    }
    alert.textContent = text;
    alert.dataset.code = error.code ?? '';
  }
}

const POLL_MS = 1500;

// Ask the JSON status URL in `element`'s data-status-url every 1.5 s until `onChange`
// (given the answer) says the watch is over: a face check or a transfer followed live.
export function watch(element, onChange) {
  const url = element.dataset.statusUrl;
  const tick = async () => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const json = await response.json();
      if (response.ok && onChange(json)) return;
    } catch { /* the next tick tries again */ }
    setTimeout(tick, POLL_MS);
  };
  setTimeout(tick, POLL_MS);
}

// The button counts down ("59s") and comes back when the resend interval is over.
export function countdown(button, seconds, label) {
  let left = seconds - 1;  // the manual's button shows 59s right after sending
  button.disabled = true;
  const tick = () => {
    if (left <= 0) { button.disabled = false; button.textContent = label; return; }
    button.textContent = `${left}s`;
    left -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}
