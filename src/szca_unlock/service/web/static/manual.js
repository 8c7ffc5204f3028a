// The manual-review page: uploads per document slot (multipart, posted with the page's
// CSRF token in the X-CSRF-Token header: docs/decisions/portal.md) with refusals shown
// in place, the 省/市 picker, and the operator's face check (ORG-MR-8) followed live.
import { csrfToken, watch } from './portal.js';

// Show the page afresh at `url` (a path with query and #fragment): a URL that differs
// only in its fragment would just scroll, so the same address is reloaded instead.
function showAgain(url) {
  const target = new URL(url, window.location.href);
  const here = window.location;
  if (target.pathname === here.pathname && target.search === here.search) {
    if (target.hash !== here.hash) history.replaceState(null, '', target.href);
    here.reload();
  } else {
    here.assign(target.href);
  }
}

function showSlotError(form, message) {
  const slot = form.dataset.slot;
  const input = form.querySelector('input[type="file"]');
  form.querySelector(`#${CSS.escape(slot)}-error`).textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.closest('.field').classList.add('invalid');
}

async function upload(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const input = form.querySelector('input[type="file"]');
  if (!input.files.length) {
    showSlotError(form, '请选择要上传的文件');
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: 'POST', body: new FormData(form), credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrfToken(), Accept: 'application/json' },
    });
    if (response.ok) {
      // the page's own address: after a refused 提交 or 保存 the browser shows the post's
      const page = document.getElementById('documents-section').dataset.pageUrl;
      showAgain(`${page}?uploaded=${encodeURIComponent(form.dataset.slot)}#slot-${form.dataset.slot}`);
      return;
    }
    let error = {};
    try { error = (await response.json()).error ?? {}; } catch { error = {}; }
    showSlotError(form, (error.message || '上传失败，请稍后重试') + (error.help ? ` ${error.help}` : ''));
  } catch {
    showSlotError(form, '网络异常，上传失败，请检查网络后重试');
  } finally {
    button.disabled = false;
  }
}

async function loadCities() {
  const province = document.getElementById('f-province');
  const city = document.getElementById('f-city');
  city.length = 1;  // keep 请选择市
  if (!province.value) return;
  const response = await fetch(`/api/regions/${encodeURIComponent(province.value)}`);
  if (!response.ok) return;
  for (const name of (await response.json()).cities) city.add(new Option(name, name));
}

for (const form of document.querySelectorAll('form.upload')) {
  form.addEventListener('submit', upload);
  form.querySelector('input[type="file"]').addEventListener('change', () => {
    const input = form.querySelector('input[type="file"]');
    form.querySelector(`#${CSS.escape(form.dataset.slot)}-error`).textContent = '';
    input.removeAttribute('aria-invalid');
    input.closest('.field').classList.remove('invalid');
  });
}
document.getElementById('f-province')?.addEventListener('change', loadCities);

// ORG-MR-8: while the QR code is shown, the status line follows the check; its outcome
// reloads the page (the QR goes, 提交's 尚需完成 list changes, 重新验证 after a failure).
const face = document.getElementById('face-section');
if (face?.dataset.statusUrl) {
  const status = document.getElementById('face-status');
  watch(face, (json) => {
    if (json.status !== 'passed' && json.status !== 'failed') return false;
    status.textContent = json.message;
    status.className = `status-${json.status}`;
    // the page again shows the same line (and 重新验证 after a failure)
    setTimeout(() => showAgain(`${face.dataset.pageUrl}#face-section`), 500);
    return true;
  });
}
