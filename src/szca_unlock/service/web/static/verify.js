// 身份验证 / 企业验证: the 验证方式 drop-down switches the fields; 获取验证码 starts the
// check without leaving the page and counts down; a face QR or a transfer is watched live.
import { countdown, postForm, showError, watch } from '/static/portal.js';

function setUpForm(form) {
  const select = form.elements.method;
  const smsButton = document.getElementById('sms-button');
  const submitCode = document.getElementById('submit-code');
  const next = document.getElementById('next-button');
  const status = document.getElementById('sms-status');
  const sections = [...form.querySelectorAll('[data-for]')];

  const apply = () => {
    const option = select.selectedOptions[0];
    const method = { value: option.value, sms: option.dataset.sms === 'true',
                     fields: option.dataset.fields.split(' ').filter(Boolean) };
    const shown = new Set([...method.fields, ...(method.sms ? ['code'] : [])]);
    for (const section of sections) {
      const visible = shown.has(section.dataset.for);
      section.hidden = !visible;
      section.querySelectorAll('input').forEach((input) => { input.disabled = !visible; });
    }
    form.querySelectorAll('.method-hint').forEach((hint) => {
      const mine = hint.dataset.method === method.value;
      hint.hidden = !mine;
      if (mine) hint.id = 'method-hint'; else hint.removeAttribute('id');
    });
    smsButton.hidden = !method.sms;
    submitCode.hidden = !method.sms;
    next.hidden = method.sms;
  };
  select.addEventListener('change', apply);
  apply();

  smsButton.addEventListener('click', async (event) => {
    event.preventDefault();
    form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
    const data = new FormData(form);
    data.delete('code');
    const { ok, json } = await postForm(form.action, data);
    if (ok) {
      status.textContent = json.verification.message;
      countdown(smsButton, json.verification.resend_after ?? 60, '获取验证码');
      form.elements.code.focus();
    } else {
      showError(form, json.error ?? { message: '验证码发送失败，请稍后重试' });
    }
  });
}

const form = document.getElementById('verify-form');
if (form) setUpForm(form);

const face = document.getElementById('face');
if (face) {
  const status = document.getElementById('face-status');
  watch(face, (json) => {
    const v = json.verification;
    if (v.status === 'passed') {
      status.textContent = `${v.message}，正在进入下一步…`;
      status.className = 'status-passed';
      window.location.assign(json.next_url);
      return true;
    }
    if (v.status === 'failed') {
      status.textContent = v.message;
      status.className = 'status-failed';
      setTimeout(() => window.location.assign(json.next_url), 2500);
      return true;
    }
    return false;
  });
}

const deposit = document.getElementById('deposit-status');
if (deposit) {
  watch(deposit, (json) => {
    deposit.textContent = json.verification.message;
    return json.verification.deposit?.status === 'transferred';
  });
}
