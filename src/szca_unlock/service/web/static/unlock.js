// 立即解锁: the pop-up asks for the new PIN twice and hands it, with a one-time ticket the
// service issued for this order and this login, to the local certificate helper. The PIN
// never goes to the service.
import { postForm } from '/static/portal.js';

const HELPER = document.querySelector('meta[name="assistant-url"]').content;
const POLL_MS = 700;
const open = document.getElementById('unlock-open');
const missing = document.getElementById('assistant-missing');
const dialog = document.getElementById('unlock-dialog');
const form = document.getElementById('unlock-form');
const progress = document.getElementById('unlock-progress');
const errorBox = document.getElementById('unlock-error');
const done = document.getElementById('unlock-done');
const confirm = document.getElementById('unlock-confirm');

async function helperStatus() {
  try {
    const response = await fetch(`${HELPER}/v1/status`, { mode: 'cors', credentials: 'omit' });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function clearErrors() {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  errorBox.hidden = true;
  errorBox.textContent = '';
}

function showError(error) {
  const field = { new_pin: 'new_pin', pin_confirmation: 'pin_confirmation' }[error.field];
  // data-code: the API's error code beside the words (support and automated checks read it)
  if (field) {
    const target = document.getElementById(`${field}-error`);
    target.textContent = error.message;
    target.dataset.code = error.code ?? '';
    form.elements[field].setAttribute('aria-invalid', 'true');
    form.elements[field].focus();
  } else {
    errorBox.textContent = error.message + (error.help ? ` ${error.help}` : '');
    errorBox.dataset.code = error.code ?? '';
    errorBox.hidden = false;
  }
}

function showProgress(lines) {
  progress.replaceChildren(...lines.map((line) => {
    const item = document.createElement('li');
    item.textContent = line;
    return item;
  }));
}

async function watch(jobId) {
  for (;;) {
    await new Promise((resolve) => { setTimeout(resolve, POLL_MS); });
    const response = await fetch(`${HELPER}/v1/jobs/${encodeURIComponent(jobId)}`,
      { mode: 'cors', credentials: 'omit' });
    const job = await response.json();
    if (!response.ok) return { state: 'failed', error: job.error, progress: [] };
    showProgress(job.progress);
    if (job.state !== 'running') return job;
  }
}

open.addEventListener('click', async () => {
  missing.hidden = true;
  if (!(await helperStatus())) {
    missing.hidden = false;
    return;
  }
  clearErrors();
  progress.replaceChildren();
  done.hidden = true;
  form.reset();
  dialog.showModal();
  form.elements.new_pin.focus();
});

document.getElementById('unlock-cancel').addEventListener('click', () => dialog.close());

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const newPin = form.elements.new_pin.value;
  const confirmPin = form.elements.pin_confirmation.value;
  if (!newPin) { showError({ field: 'new_pin', message: '请输入新密码' }); return; }
  if (newPin !== confirmPin) {
    showError({ field: 'pin_confirmation', message: '两次输入的新密码不一致，请重新输入' });
    return;
  }
  confirm.disabled = true;
  try {
    const ticket = await postForm(open.dataset.ticketUrl, {});
    if (!ticket.ok) { showError(ticket.json.error ?? { message: '无法获取解锁凭证，请刷新网页后重试' }); return; }
    let started;
    try {
      started = await fetch(`${HELPER}/v1/unlock`, {
        method: 'POST', mode: 'cors', credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ order_no: open.dataset.order, ticket: ticket.json.ticket,
                               new_pin: newPin, confirm_pin: confirmPin }),
      });
    } catch {
      missing.hidden = false;
      showError({ message: '未检测到数字证书管理工具，请启动后重试' });
      return;
    }
    const job = await started.json();
    if (!started.ok) { showError(job.error); return; }
    showProgress(job.progress);
    const finished = await watch(job.id);
    if (finished.state === 'done') {
      done.textContent = `${finished.progress.at(-1)}。`;
      done.hidden = false;
      const link = document.createElement('a');
      link.href = `/orders/${encodeURIComponent(open.dataset.order)}`;
      link.textContent = '查看业务单';
      done.append(' ', link);
      confirm.hidden = true;
      document.getElementById('unlock-cancel').textContent = '关闭';
    } else {
      showError(finished.error);
    }
  } finally {
    confirm.disabled = false;
  }
});
