/**
 * English: the source catalogue. Its keys define `Messages`; every other language is typed
 * `Messages`, so a missing key is a compile error. Placeholders are `{name}`; a translation keeps
 * the same placeholders (a test checks it). Buttons are short; sentences are whole sentences.
 */
export const en = {
  // Date formats (luxon tokens, https://moment.github.io/luxon/#/formatting?id=table-of-tokens):
  // a language decides its own word order and abbreviations.
  dateShort: "ccc d LLL",
  dateLong: "cccc d LLLL",
  dateLongWithYear: "cccc d LLLL yyyy",

  // Bot commands (shown by Telegram next to /start)
  commandStart: "Book or manage your appointments",

  // Main menu
  welcome: "Hi! Welcome to {salon}. What would you like to do?",
  menu: "What would you like to do?",
  menuBook: "Book an appointment",
  menuMyBookings: "My bookings",
  back: "« Back",
  toMenu: "Menu",
  anythingElse: "Anything else?",

  // Help and honest answers
  help: "Sorry, I didn't understand that. Please tap one of the buttons, or type the number of an option.",
  unsupported: "Sorry, I can only read text messages and the buttons.",
  staleButton: "That button is from an earlier message. Here is where we are now:",
  bookingInactive: "That booking is no longer active.",
  error: "Sorry, something went wrong on our side. Please try again.",

  // Booking: service, staff, day, time
  pickService: "Which service would you like?",
  serviceLabel: "{name} · {duration} min · {price}",
  noServices: "Sorry, there is nothing to book online right now.",
  pickStaff: "Who would you like for {service}?",
  anyone: "Anyone available",
  noStaff: "Sorry, nobody offers {service} at the moment.",
  pickDay: "Which day suits you for {service}?",
  noDays: "Sorry, there are no free times for {service} in the coming weeks.",
  later: "Later »",
  earlier: "« Earlier",
  today: "Today",
  tomorrow: "Tomorrow",
  pickTime: "Free times for {service} on {date}:",
  noTimes: "Sorry, there are no free times left on {date}.",
  alternatives: "These times are free:",
  slotTaken: "Sorry, {time} was just taken.",
  slotGone: "Sorry, that time is no longer available.",
  holdLost: "Sorry, we could not keep that time for you. Please pick a time again.",

  // Contact details on a first visit
  askContact: "To book, we need your phone number. Tap the button below to share it, or type it (for example {example}).",
  shareContact: "Share my phone number",
  askPhoneTyped: "To book, we need your phone number. Please type it (for example {example}).",
  badPhone: "That doesn't look like a phone number. Example: {example}",
  phoneNoted: "Thanks! We'll use {phone}.",
  askName: "What name should we put the booking under? Type it, or tap your name below.",
  badName: "Please type your name (up to 60 characters).",
  contactLater: "No problem, you can share your number later.",
  thanks: "Thanks, {name}!",

  // Confirming
  confirmSummary: "Please confirm your booking:\n{service} with {staff}\n{date} at {time}\nPrice: {price}",
  confirmYes: "Confirm",
  otherTime: "Choose another time",
  booked: "You're booked! {service} with {staff} on {date} at {time}. See you then!",

  // My bookings, cancel, reschedule
  noBookings: "You have no upcoming bookings.",
  bookingsHeader: "Your upcoming bookings:",
  bookingLine: "{service} with {staff}\n{date} at {time}",
  reschedule: "Reschedule",
  cancel: "Cancel",
  confirmCancel: "Cancel {service} with {staff} on {date} at {time}?",
  cancelYes: "Yes, cancel it",
  cancelNo: "No, keep it",
  cancelled: "Your booking for {service} on {date} at {time} is cancelled.",
  tooLate: "It is too close to the appointment to change it here. Please call the salon.",
  rescheduleDay: "Which day would you like to move {service} to?",
  confirmReschedule: "Move {service} with {staff}\nfrom {oldDate} at {oldTime}\nto {date} at {time}?",
  rescheduleYes: "Yes, move it",
  rescheduled: "Done! {service} with {staff} is now on {date} at {time}.",

  // Channel rendering: the list button label (WhatsApp, ≤ 20 characters); paging when a prompt
  // has more choices than one list or keyboard holds (WhatsApp: the text of the further lists;
  // Viber: the paging button)
  choose: "Choose",
  moreChoices: "More…",

  // Notifications (issue 5): messages the salon sends by itself (a salon may replace them with its
  // own texts in the same placeholders), the reply to STOP, the reminder's Confirm button.
  notifyConfirmation: "Your booking at {salon} is confirmed: {service} with {staff} on {date} at {time}.",
  notifyRescheduled: "Your booking at {salon} has moved: {service} with {staff} is now on {date} at {time}.",
  notifyCancelled: "Your booking at {salon} for {service} on {date} at {time} has been cancelled.",
  notifyReminder24h: "Reminder: {service} with {staff} at {salon} on {date} at {time}.",
  notifyReminder1h: "See you soon! {service} with {staff} on {date} at {time}. Tap Confirm, or reschedule or cancel below.",
  notifyThankYou: "Thank you for visiting {salon}, {name}! We hope to see you again soon.",
  notifyThankYouReview: "Thank you for visiting {salon}, {name}! If you have a minute, we would love a review: {reviewUrl}",
  notifyReactivation: "Hi {name}, it has been a while since your last visit to {salon}. Would you like to book again? (Reply STOP to get no more offers.)",
  notifyBirthday: "Happy birthday, {name}! Warm wishes from everyone at {salon}. (Reply STOP to get no more offers.)",
  optedOut: "Done: you will get no more reminders or offers from {salon}. You can still book and manage your appointments here.",
  attendanceConfirmed: "Thank you for confirming! See you on {date} at {time}.",

  // The owner's Telegram (issue 5): pairing, owner commands, low-stock alerts, deliveries, the agenda and the daily summary.
  ownerCommandAgenda: "Today's bookings",
  ownerCommandUnpair: "Stop owner messages in this chat",
  ownerPaired: "Linked! This chat now gets {salon}'s owner messages for {name}: low-stock alerts and, if switched on, the daily summary. Send /agenda for today's bookings, or /unpair to stop.",
  ownerPairUsage: "To link this chat, send /pair followed by the code shown in the admin (Settings → Telegram), e.g. /pair K7QX2MPA.",
  ownerPairUnknown: "That code is not right, so nothing was linked. Check the code in the admin (Settings → Telegram) and try again.",
  ownerPairExpired: "That code has expired, so nothing was linked. Make a new one in the admin (Settings → Telegram).",
  ownerPairUsed: "That code has been used already, so nothing was linked. Make a new one in the admin (Settings → Telegram).",
  ownerPairNotAllowed: "That account cannot get owner messages: only active owners and managers can.",
  ownerPairRateLimited: "Too many wrong codes. Please wait {minutes} minutes and try again.",
  ownerOnly: "This command is for the salon's owners and managers. Link this chat first: send /pair and the code from the admin.",
  ownerUnpaired: "This chat is no longer linked. You will get no more owner messages here.",
  ownerNotLinked: "This chat is not linked to an account.",
  ownerMenu: "Hi {name}! Send /agenda for today's bookings, or tap below.",
  ownerAgendaButton: "Today's agenda",
  ownerAgendaTitle: "Bookings at {salon} on {date}:",
  ownerAgendaEmpty: "No bookings at {salon} on {date}.",
  ownerAgendaLine: "{time} {client}: {service} with {staff}",
  ownerNoClient: "(no client)",
  ownerLowStock: "Low stock at {salon}: {product} is down to {stock} {unit} (threshold {threshold}).",
  ownerRecordDelivery: "Record delivery",
  ownerAskQuantity: "How many {unit} of {product} arrived? Type a number, e.g. 12.",
  ownerBadQuantity: "Please type a whole number above 0, e.g. 12.",
  ownerConfirmDelivery: "Record a delivery of {quantity} {unit} of {product}?",
  ownerConfirmYes: "Record it",
  ownerConfirmNo: "Cancel",
  ownerDeliveryRecorded: "Recorded: {quantity} {unit} of {product} arrived. Now in stock: {stock} {unit}.",
  ownerDeliveryCancelled: "Cancelled: nothing was recorded.",
  ownerProductGone: "That product no longer exists.",
  ownerDailySummary: "Good morning! {salon} on {date}: {bookings} bookings, {free} free slots. Yesterday's takings: {takings}.",
};

/** Every message key. */
export type MessageKey = keyof typeof en;

/** A complete catalogue: one string per key. */
export type Messages = Record<MessageKey, string>;
