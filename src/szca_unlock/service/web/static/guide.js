// 解锁指南: 进入解锁 stays disabled until both agreements are ticked.
const form = document.getElementById('guide-form');
const enter = document.getElementById('enter-unlock');
const boxes = [...form.querySelectorAll('input[type="checkbox"]')];
const update = () => { enter.disabled = !boxes.every((box) => box.checked); };
boxes.forEach((box) => box.addEventListener('change', update));
update();
