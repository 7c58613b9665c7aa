// The booking page. It renders what the API returns: which actions exist comes only from the server;
// this file decides how each one looks (icon, style) and whether it asks for confirmation first.
'use strict';

// How each action looks, and how its consequence starts ("Accepting charges ..."); anything not listed here
// gets DEFAULT_STYLE, so new actions still show up.
const ACTION_STYLES = {
  accept_booking: { icon: 'check', style: 'btn-primary', doing: 'Accepting' },
  decline_booking: { icon: 'x', style: 'btn-danger', doing: 'Declining' },
  cancel_booking: { icon: 'ban', style: 'btn-danger', doing: 'Cancelling' },
  mark_in_progress: { icon: 'play', style: 'btn-secondary', doing: 'Starting' },
  mark_completed: { icon: 'flag', style: 'btn-success', doing: 'Completing' },
};
const DEFAULT_STYLE = { icon: 'dot', style: 'btn-neutral', doing: 'This' };
// Critical actions after which the other party deserves a reason.
const REASON_ACTIONS = new Set(['cancel_booking', 'decline_booking']);

const ICONS = {
  check: '<path d="M5 12l5 5L20 7"/>',
  x: '<path d="M6 6l12 12M18 6L6 18"/>',
  ban: '<circle cx="12" cy="12" r="8"/><path d="M6.5 6.5l11 11"/>',
  play: '<path d="M8 5v14l11-7z"/>',
  flag: '<path d="M5 21V4M5 4h11l-2 4 2 4H5"/>',
  dot: '<circle cx="12" cy="12" r="3"/>',
};

const STATE_LABELS = {
  REQUESTED: 'Requested', ACCEPTED: 'Accepted', DECLINED: 'Declined', IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed', CANCELLED_BY_CUSTOMER: 'Cancelled by customer',
  CANCELLED_BY_GIGSTA: 'Cancelled by GigSta', EXPIRED: 'Expired',
};
const ROLE_LABELS = { CUSTOMER: 'customer', GIGSTA: 'GigSta', OPERATOR: 'operator', SYSTEM: 'system' };
// What a settlement dead letter is, by the payment moment of its change: a charge owes its capture.
const MOMENT_LABELS = {
  CHARGE: 'Capture', CAPTURE: 'Capture', RELEASE: 'Release', REFUND: 'Refund', PAYOUT: 'Payout', SECURE: 'Secured',
  NONE: '',
};
// How often the page asks for what the delivery worker did meanwhile: notifications, dead letters.
const POLL_MILLIS = 2000;

let me = null;
let signingOut = false; // once true, a 401 is the sign-out itself, not a session that ended
let pollTimer = null;
let current = null; // the booking shown, as last returned by the API
const names = {};
const gigstaPrices = {}; // each GigSta's list price, which prefills the request form
const shown = {}; // the JSON last rendered per polled list, so an unchanged list is not rebuilt under the pointer

function $(id) { return document.getElementById(id); }

function icon(name) {
  return '<svg viewBox="0 0 24 24" aria-hidden="true" class="icon">' + (ICONS[name] || ICONS.dot) + '</svg>';
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// How many decimals the currency's amounts have (2 for EUR, 0 for JPY): its minor units.
function fractionDigits(currency) {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
}

// {"amount_minor":4000,"currency":"EUR"} as the reader's locale writes it, e.g. €40.00.
function formatMoney(money) {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency })
    .format(money.amount_minor / 10 ** fractionDigits(money.currency));
}

// "80.00" in EUR as 8000 minor units, exactly (no floating point); null if it is no such amount.
function toMinor(text, currency) {
  const digits = fractionDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match || (match[2] || '').length > digits) return null;
  return Number(match[1] + (match[2] || '').padEnd(digits, '0'));
}

// What the action does with money, in words, from the figures the API listed with it; '' for none.
function consequence(action) {
  const doing = (ACTION_STYLES[action.action_name] || DEFAULT_STYLE).doing;
  const parts = [];
  if (action.charge) {
    parts.push(doing + (me.role === 'CUSTOMER' ? ' charges your card ' : ' charges the customer\u2019s card ')
      + formatMoney(action.charge) + '.');
  }
  if (action.refund) {
    const fee = action.fee && action.fee.amount_minor > 0
      ? formatMoney(action.fee) + ' cancellation fee' : 'no cancellation fee';
    parts.push((me.role === 'CUSTOMER' ? 'You will get ' : 'The customer gets ') + formatMoney(action.refund)
      + ' back; ' + fee + '.');
  }
  if (action.payout) {
    parts.push(doing + (me.role === 'GIGSTA' ? ' pays you ' : ' pays the GigSta ') + formatMoney(action.payout) + '.');
  }
  return parts.join(' ');
}

function stateBadge(node, state) {
  node.textContent = STATE_LABELS[state] || state;
  node.className = 'state state-' + state.toLowerCase();
  node.dataset.state = state;
}

// Calls the API; resolves with the parsed body, or rejects with the RFC 9457 problem document.
async function api(method, path, body) {
  // X-Requested-With tells the service the page is asking: a signed-out request then gets its 401 without
  // the HTTP basic challenge that would make the browser prompt for a password.
  const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && me) headers[me.csrf_header] = me.csrf_token;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    // The page needs a session; a 401 means it ended (timed out, signed out in another tab).
    if (!signingOut) window.location.assign('/login?expired');
    throw { status: 401, message: 'Your session expired. Please sign in again.' };
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (notJson) {
    data = null;
  }
  if (!response.ok) {
    throw data && data.status ? data : {
      status: response.status, title: response.statusText,
      message: 'The service answered ' + response.status + '. Please try again.',
    };
  }
  return data;
}

// Shows a refusal: the sentence the service wrote for people, and the problem's technical part (status,
// code, detail) folded away under "Details". Anything else that failed on the page says so in words too.
function showProblem(problem) {
  const box = $('problem');
  if (!problem) { box.hidden = true; box.textContent = ''; return; }
  if (problem instanceof Error) {
    problem = { message: 'Something went wrong on this page. Please reload it.', detail: String(problem) };
  }
  box.hidden = false;
  box.dataset.status = problem.status || '';
  box.dataset.code = problem.code || '';
  box.innerHTML = '';
  box.append(el('strong', 'problem-message', problem.message || problem.title || 'Something went wrong.'));
  const facts = [problem.status ? problem.status + (problem.title ? ' ' + problem.title : '') : null,
    problem.code, problem.detail].filter(Boolean);
  if (facts.length > 0) {
    const details = el('details', 'problem-details');
    details.append(el('summary', null, 'Details'));
    for (const fact of facts) details.append(el('div', 'problem-fact', String(fact)));
    box.append(details);
  }
}

async function loadMe() {
  me = await api('GET', '/api/me');
  $('me').textContent = me.display_name + ' · ' + ROLE_LABELS[me.role];
  $('me').dataset.role = me.role;
  if (me.role === 'CUSTOMER') {
    $('request-card').hidden = false;
    const gigstas = await api('GET', '/api/gigstas');
    const select = $('gigsta');
    select.innerHTML = '';
    for (const gigsta of gigstas) {
      names[gigsta.id] = gigsta.display_name;
      gigstaPrices[gigsta.id] = gigsta.price;
      const option = el('option', null, gigsta.display_name + ' — ' + gigsta.about + ', ' + formatMoney(gigsta.price));
      option.value = gigsta.id;
      select.append(option);
    }
    select.addEventListener('change', prefillPrice);
    prefillPrice();
  }
  if (me.role === 'OPERATOR') {
    $('payments-card').hidden = false;
    $('dead-letters-card').hidden = false;
    $('list-title').textContent = 'All bookings';
    $('notifications-title').textContent = 'Notifications sent';
    await Promise.all([loadPayments(), loadDeadLetters()]);
  }
}

// The request form's price: the selected GigSta's list price, in the currency's major units.
function prefillPrice() {
  const price = gigstaPrices[$('gigsta').value];
  const digits = fractionDigits(price.currency);
  const input = $('price');
  input.value = (price.amount_minor / 10 ** digits).toFixed(digits);
  input.step = input.min = (1 / 10 ** digits).toFixed(digits);
  $('price-currency').textContent = price.currency;
}

async function loadPayments() {
  const payments = await api('GET', '/api/operator/payments');
  $('decline-all').checked = payments.decline_all;
  $('fail-refunds').checked = payments.fail_refunds;
  $('payments-hint').textContent = 'Always declined: ' + payments.declining_customers.join(', ')
    + '. ' + payments.ledgers.length + ' bookings reached the processor so far.';
  if (!changed('ledgers', payments.ledgers)) return;
  const list = $('ledgers');
  list.innerHTML = '';
  for (const ledger of payments.ledgers.slice(0, 10)) {
    const item = el('li', 'ledger');
    item.dataset.bookingId = ledger.booking_id;
    item.append(bookingLink(ledger.booking_id, 'booking ' + ledger.booking_id.slice(0, 8)));
    const figures = [['authorized', ledger.authorized], ['captured', ledger.captured],
      ['refunded', ledger.refunded], ['paid out', ledger.paid_out]]
      .map(([label, money]) => label + ' ' + (money ? formatMoney(money) : '—'));
    if (ledger.declines > 0) figures.push(ledger.declines + (ledger.declines === 1 ? ' decline' : ' declines'));
    item.append(el('div', 'ledger-figures', figures.join(' · ')));
    list.append(item);
  }
}

// Renders the list only when it changed since it was last shown.
function changed(key, data) {
  const json = JSON.stringify(data);
  if (shown[key] === json) return false;
  shown[key] = json;
  return true;
}

function bookingLink(bookingId, text) {
  const link = el('a', 'booking-link', text);
  link.href = '#' + encodeURIComponent(bookingId);
  return link;
}

async function loadDeadLetters() {
  const consumers = await api('GET', '/api/operator/dead-letters');
  if (!changed('dead-letters', consumers)) return;
  const box = $('dead-letters');
  box.innerHTML = '';
  for (const consumer of consumers) {
    const section = el('div', 'consumer');
    section.dataset.consumer = consumer.consumer;
    section.dataset.count = consumer.count;
    const head = el('div', 'consumer-head');
    head.append(el('span', 'consumer-name', consumer.consumer),
      el('span', 'count' + (consumer.count > 0 ? ' count-dead' : ''), String(consumer.count)));
    section.append(head);
    const list = el('ul', 'dead-letter-list');
    for (const letter of consumer.dead_letters) {
      const item = el('li', 'dead-letter');
      item.dataset.bookingId = letter.booking_id;
      item.dataset.sequence = letter.sequence;
      const what = consumer.consumer === 'settlement' && MOMENT_LABELS[letter.payment_moment]
        ? MOMENT_LABELS[letter.payment_moment] + ' for ' : '';
      const title = el('div', 'dead-letter-title', what + letter.action_name + ' · ');
      title.append(bookingLink(letter.booking_id, 'booking ' + letter.booking_id.slice(0, 8)));
      const button = el('button', 'btn btn-secondary btn-small', 'Resubmit');
      button.type = 'button';
      button.dataset.resubmit = consumer.consumer + '/' + letter.booking_id + '/' + letter.sequence;
      button.addEventListener('click', () => resubmit(consumer.consumer, letter, button));
      // The worker records the exception's class and message; the message is what an operator reads.
      const error = (letter.last_error || 'unknown').replace(/^[\w.$]+: /, '');
      item.append(title, el('div', 'dead-letter-error', letter.failed_attempts + ' failed attempts; last: '
        + error), button);
      list.append(item);
    }
    section.append(list);
    box.append(section);
  }
}

async function resubmit(consumer, letter, button) {
  showProblem(null);
  button.disabled = true;
  try {
    await api('POST', '/api/operator/dead-letters/' + encodeURIComponent(consumer) + '/'
      + encodeURIComponent(letter.booking_id) + '/' + letter.sequence + '/resubmit');
  } catch (problem) {
    showProblem(problem);
  }
  // The worker delivers it on its next sweep; the poll shows the outcome.
  await Promise.all([loadDeadLetters(), loadPayments()]);
}

async function loadNotifications() {
  const notifications = await api('GET', '/api/notifications');
  if (!changed('notifications', notifications)) return;
  const list = $('notifications');
  list.innerHTML = '';
  $('no-notifications').hidden = notifications.length > 0;
  for (const notification of notifications.slice(0, 20)) {
    const item = el('li', 'notification');
    item.dataset.bookingId = notification.booking_id;
    item.dataset.action = notification.action_name;
    item.append(el('div', 'notification-text', notification.text));
    const meta = el('div', 'notification-meta',
      (me.role === 'OPERATOR' ? 'to ' + (names[notification.to] || notification.to) + ' · ' : '')
      + new Date(notification.at).toLocaleString() + ' · ');
    meta.append(bookingLink(notification.booking_id, notification.booking_id.slice(0, 8)));
    item.append(meta);
    list.append(item);
  }
}

// What the delivery worker does happens after the request that recorded a change: poll for it.
let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  try {
    await Promise.all([loadNotifications(),
      me.role === 'OPERATOR' ? Promise.all([loadDeadLetters(), loadPayments()]) : null]);
  } catch (problem) {
    // The next poll tries again; a signed-out session is sent to the login page by api().
  } finally {
    polling = false;
  }
}

async function loadList() {
  const bookings = await api('GET', '/api/bookings');
  const list = $('bookings');
  list.innerHTML = '';
  $('no-bookings').hidden = bookings.length > 0;
  for (const summary of bookings) {
    const booking = summary.booking;
    names[booking.customer_id] = summary.customer_name;
    names[booking.gigsta_id] = summary.gigsta_name;
    const item = el('li');
    const link = el('a');
    link.href = '#' + encodeURIComponent(booking.id);
    link.dataset.bookingId = booking.id;
    if (current && current.booking.id === booking.id) link.classList.add('selected');
    const other = me.role === 'CUSTOMER' ? summary.gigsta_name
      : me.role === 'GIGSTA' ? summary.customer_name
      : summary.customer_name + ' → ' + summary.gigsta_name;
    const badge = el('span');
    stateBadge(badge, booking.state);
    link.append(el('span', 'party', other), badge, el('span', 'id', booking.id.slice(0, 8)));
    item.append(link);
    list.append(item);
  }
}

function renderActions(actions) {
  const box = $('actions');
  box.innerHTML = '';
  $('no-actions').hidden = actions.length > 0;
  for (const action of actions) {
    const look = ACTION_STYLES[action.action_name] || DEFAULT_STYLE;
    const button = el('button', 'btn ' + look.style);
    button.type = 'button';
    button.dataset.action = action.action_name;
    button.dataset.critical = String(action.is_critical);
    button.title = action.note;
    button.innerHTML = icon(look.icon);
    button.append(el('span', null, action.button_label || action.action_name));
    button.addEventListener('click', () => choose(action));
    box.append(button);
  }
  // What each action does with money, so that nobody learns it only after clicking.
  const consequences = $('consequences');
  consequences.innerHTML = '';
  for (const action of actions) {
    const text = consequence(action);
    if (!text) continue;
    const item = el('li', null, text);
    item.dataset.action = action.action_name;
    consequences.append(item);
  }
}

function describeActor(entry) {
  const name = names[entry.actor_id] || entry.actor_id;
  return name + ' (' + ROLE_LABELS[entry.actor_role] + ')';
}

function renderTimeline(entries) {
  const list = $('timeline');
  list.innerHTML = '';
  for (const entry of entries) {
    const item = el('li', 'event to-' + entry.to_state.toLowerCase());
    item.dataset.action = entry.action_name;
    item.dataset.toState = entry.to_state;
    const when = new Date(entry.occurred_at);
    item.append(el('div', 'event-title', entry.note));
    item.append(el('div', 'event-meta', describeActor(entry) + ' · ' + when.toLocaleString()
      + ' · ' + (entry.from_state ? STATE_LABELS[entry.from_state] + ' → ' : '') + STATE_LABELS[entry.to_state]));
    if (entry.reason) item.append(el('blockquote', 'event-reason', entry.reason));
    list.append(item);
  }
}

function render(details) {
  current = details;
  const booking = details.booking;
  names[booking.customer_id] = details.customer_name;
  names[booking.gigsta_id] = details.gigsta_name;
  $('empty').hidden = true;
  $('booking').hidden = false;
  $('booking').dataset.bookingId = booking.id;
  $('booking').dataset.version = booking.version;
  $('booking-title').textContent = details.customer_name + ' with ' + details.gigsta_name;
  $('booking-meta').textContent = 'Booking ' + booking.id.slice(0, 8) + ' · version ' + booking.version
    + (booking.scheduled_start ? ' · starts ' + new Date(booking.scheduled_start).toLocaleString() : '')
    + ' · updated ' + new Date(booking.updated_at).toLocaleString();
  stateBadge($('booking-state'), booking.state);
  $('booking-price').textContent = booking.price ? formatMoney(booking.price) : '';
  renderActions(details.actions);
  for (const link of document.querySelectorAll('#bookings a')) {
    link.classList.toggle('selected', link.dataset.bookingId === booking.id);
  }
}

async function loadBooking(id) {
  const [details, audit] = await Promise.all([
    api('GET', '/api/bookings/' + encodeURIComponent(id)),
    api('GET', '/api/bookings/' + encodeURIComponent(id) + '/audit'),
  ]);
  render(details);
  renderTimeline(audit);
}

async function showFromHash() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!id) {
    $('booking').hidden = true;
    $('empty').hidden = false;
    return;
  }
  try {
    await loadBooking(id);
  } catch (problem) {
    current = null;
    $('booking').hidden = true;
    $('empty').hidden = false;
    showProblem(problem);
  }
}

function choose(action) {
  showProblem(null);
  if (!action.is_critical) {
    perform(action, null);
    return;
  }
  const dialog = $('confirm');
  const look = ACTION_STYLES[action.action_name] || DEFAULT_STYLE;
  $('confirm-title').textContent = (action.button_label || action.action_name) + '?';
  $('confirm-text').textContent = 'This cannot be undone. It will be recorded as “' + action.note + '”.';
  // The consequence the API listed with the action, computed as performing it will record it.
  $('confirm-consequence').textContent = consequence(action);
  $('confirm-consequence').hidden = !$('confirm-consequence').textContent;
  $('reason-field').hidden = !REASON_ACTIONS.has(action.action_name);
  $('reason').value = '';
  const ok = $('confirm-ok');
  ok.className = 'btn ' + look.style;
  ok.innerHTML = icon(look.icon);
  ok.append(el('span', null, action.button_label || action.action_name));
  dialog.dataset.action = action.action_name;
  dialog.returnValue = '';
  dialog.onclose = () => {
    if (dialog.returnValue === 'confirm') {
      perform(action, REASON_ACTIONS.has(action.action_name) ? $('reason').value : null);
    }
  };
  dialog.showModal();
  if (!$('reason-field').hidden) $('reason').focus();
}

async function perform(action, reason) {
  const booking = current.booking;
  const buttons = document.querySelectorAll('#actions button');
  buttons.forEach((button) => { button.disabled = true; });
  try {
    const body = { version: booking.version };
    if (reason && reason.trim()) body.reason = reason.trim();
    await api('POST', '/api/bookings/' + encodeURIComponent(booking.id) + '/actions/'
      + encodeURIComponent(action.action_name), body);
  } catch (problem) {
    showProblem(problem);
  }
  // Whatever happened, show the booking as it is now: its state, actions and timeline come from the server.
  // What the change owes (a refund, a notification) the delivery worker delivers shortly after: the poll
  // shows it.
  await Promise.all([loadBooking(booking.id), loadList(), me.role === 'OPERATOR' ? loadPayments() : null]);
}

async function requestBooking(event) {
  event.preventDefault();
  showProblem(null);
  const start = $('start').value;
  const currency = $('price-currency').textContent;
  const amountMinor = toMinor($('price').value, currency);
  if (amountMinor === null) {
    showProblem({ message: 'The price must be an amount in ' + currency + ' with at most '
      + fractionDigits(currency) + ' decimals.' });
    return;
  }
  try {
    const details = await api('POST', '/api/bookings', {
      gigsta_id: $('gigsta').value,
      scheduled_start: start ? new Date(start).toISOString() : null,
      price: { amount_minor: amountMinor, currency },
    });
    await loadList();
    window.location.hash = encodeURIComponent(details.booking.id);
  } catch (problem) {
    showProblem(problem);
  }
}

// The earliest start the form offers: now, in the browser's time zone (the service refuses a start in the past).
function offerFutureStarts() {
  const now = new Date();
  now.setSeconds(0, 0);
  $('start').min = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

async function start() {
  offerFutureStarts();
  $('confirm-back').addEventListener('click', () => $('confirm').close('back'));
  $('request-form').addEventListener('submit', requestBooking);
  $('decline-all').addEventListener('change', async (event) => {
    try {
      await api('PUT', '/api/operator/payments/decline-all', { decline_all: event.target.checked });
    } catch (problem) {
      showProblem(problem);
    }
    await loadPayments();
  });
  $('fail-refunds').addEventListener('change', async (event) => {
    try {
      await api('PUT', '/api/operator/payments/fail-refunds', { fail_refunds: event.target.checked });
    } catch (problem) {
      showProblem(problem);
    }
    await loadPayments();
  });
  $('logout').addEventListener('click', async () => {
    signingOut = true;
    window.clearInterval(pollTimer);
    await fetch('/logout', { method: 'POST', headers: { [me.csrf_header]: me.csrf_token }, credentials: 'same-origin' });
    window.location.assign('/login?logout');
  });
  window.addEventListener('hashchange', () => { showProblem(null); showFromHash(); });
  await loadMe();
  await loadList();
  await Promise.all([showFromHash(), loadNotifications()]);
  pollTimer = window.setInterval(poll, POLL_MILLIS);
  document.body.dataset.ready = 'true';
}

start().catch(showProblem);
