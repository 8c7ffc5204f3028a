// 登录: 获取验证码 asks for the code without leaving the page and counts down 59 s.
import { countdown, postForm, showError } from '/static/portal.js';

const form = document.getElementById('login-form');
const button = document.getElementById('sms-button');
const status = document.getElementById('sms-status');
const LABEL = '获取验证码';

if (button.dataset.countdown) countdown(button, Number(button.dataset.countdown), LABEL);

button.addEventListener('click', async (event) => {
  event.preventDefault();
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  const { ok, json } = await postForm('/login/sms-code', {
    mobile: form.elements.mobile.value, next: form.elements.next.value,
  });
  if (ok) {
    status.textContent = json.message;
    countdown(button, json.resend_after, LABEL);
    form.elements.code.focus();
  } else {
    showError(form, json.error ?? { message: '验证码发送失败，请稍后重试' });
    if (json.retry_after) countdown(button, json.retry_after + 1, LABEL);
  }
});
