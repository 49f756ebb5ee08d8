/**
 * The booking page's web chat, as a Svelte 5 rune class. It speaks the server's Bot Framework
 * endpoint the way a Direct Line client does
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-concepts):
 * open a conversation (the server issues a random id and token), POST Activities with
 * `Authorization: Bearer <token>`, and poll the bot's replies with a watermark. Suggested actions
 * are sent back as `messageBack` (their `value` carries the choice). The conversation and what was
 * shown are kept in sessionStorage, so a reload of the tab continues the chat.
 */

/** A suggested action as the server sends it. */
export interface ChatAction {
	title: string;
	value: { choiceId: string };
}

/** One line of the chat as shown. */
export interface ChatLine {
	id: string;
	from: 'bot' | 'me';
	text: string;
}

interface BotActivity {
	id?: string;
	type?: string;
	text?: string;
	suggestedActions?: { actions?: ChatAction[] };
	attachments?: { content?: { buttons?: ChatAction[] } }[];
	channelData?: { chairside?: { input?: string } };
}

interface Saved {
	conversationId: string;
	token: string;
	watermark: string;
	lines: ChatLine[];
	actions: ChatAction[];
	input: 'text' | 'tel';
}

const FAST_MS = 400;
const SLOW_MS = 2500;
const newId = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The chat with one salon's bot. `start()` in the browser only; `stop()` on destroy. */
export class WebChat {
	lines = $state<ChatLine[]>([]);
	/** The suggested actions of the bot's latest message; empty once the visitor answered. */
	actions = $state<ChatAction[]>([]);
	/** "tel" when the bot asked for a phone number. */
	input = $state<'text' | 'tel'>('text');
	/** Whether a reply is expected soon (shows "…"). */
	waiting = $state(false);
	error = $state<string | null>(null);

	private conversationId = '';
	private token = '';
	private watermark = '0';
	private timer: ReturnType<typeof setTimeout> | undefined;
	private fastUntil = 0;
	private stopped = false;

	constructor(private readonly slug: string) {}

	private get base() {
		return `/webhooks/webchat/${encodeURIComponent(this.slug)}`;
	}
	private get key() {
		return `chairside-webchat:${this.slug}`;
	}

	/** Continues the tab's conversation, or opens one and says hello (a conversationUpdate). */
	async start(): Promise<void> {
		const saved = this.load();
		if (saved) {
			Object.assign(this, { conversationId: saved.conversationId, token: saved.token, watermark: saved.watermark });
			this.lines = saved.lines;
			this.actions = saved.actions;
			this.input = saved.input;
		} else {
			const res = await fetch(`${this.base}/conversations`, { method: 'POST' });
			if (!res.ok) {
				this.error = res.status === 429 ? 'Too many chats from here just now. Please try again in a few minutes.' : 'The chat is not available right now.';
				return;
			}
			const body = (await res.json()) as { conversationId: string; token: string };
			this.conversationId = body.conversationId;
			this.token = body.token;
			await this.post({ type: 'conversationUpdate', membersAdded: [{ id: 'visitor' }] });
		}
		this.schedule(0);
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
	}

	/** Sends what the visitor typed. */
	async say(text: string): Promise<void> {
		const trimmed = text.trim();
		if (!trimmed) return;
		this.show('me', trimmed);
		await this.post({ type: 'message', text: trimmed });
	}

	/** Sends a suggested action (messageBack: the chat shows its title, the bot reads its value). */
	async choose(action: ChatAction): Promise<void> {
		this.show('me', action.title);
		await this.post({ type: 'message', text: action.value.choiceId, value: action.value, channelData: { messageBack: { displayText: action.title } } });
	}

	private show(from: ChatLine['from'], text: string) {
		this.lines = [...this.lines, { id: newId(), from, text }];
		if (from === 'me') this.actions = [];
		this.save();
	}

	private async post(fields: Record<string, unknown>): Promise<void> {
		const activity = { id: newId(), channelId: 'webchat', conversation: { id: this.conversationId }, from: { id: 'visitor' }, recipient: { id: 'chairside' }, locale: navigator.language, timestamp: new Date().toISOString(), ...fields };
		this.waiting = true;
		this.error = null;
		try {
			const res = await fetch(this.base, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` }, body: JSON.stringify(activity) });
			if (res.status === 401) this.restart();
			else if (!res.ok) this.error = 'That did not go through. Please try again.';
		} catch {
			this.error = 'No connection. Please try again.';
		}
		this.fastUntil = Date.now() + 8000;
		this.schedule(FAST_MS);
	}

	private schedule(ms: number) {
		clearTimeout(this.timer);
		if (!this.stopped) this.timer = setTimeout(() => void this.poll(), ms);
	}

	private async poll(): Promise<void> {
		try {
			const res = await fetch(`${this.base}/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: { authorization: `Bearer ${this.token}` } });
			if (res.status === 401 || res.status === 404) return this.restart();
			if (res.ok) this.receive((await res.json()) as { activities: BotActivity[]; watermark: string });
		} catch {
			// offline for a moment: the next poll catches up from the same watermark
		}
		this.schedule(Date.now() < this.fastUntil ? FAST_MS : SLOW_MS);
	}

	private receive(page: { activities: BotActivity[]; watermark: string }) {
		this.watermark = page.watermark;
		const messages = page.activities.filter((a) => a.type === 'message' && a.text);
		if (messages.length === 0) return;
		this.lines = [...this.lines, ...messages.map((a) => ({ id: a.id ?? newId(), from: 'bot' as const, text: a.text ?? '' }))];
		const last = messages.at(-1)!;
		this.actions = [...(last.suggestedActions?.actions ?? []), ...(last.attachments ?? []).flatMap((c) => c.content?.buttons ?? [])];
		this.input = last.channelData?.chairside?.input === 'tel' ? 'tel' : 'text';
		this.waiting = false;
		this.fastUntil = 0;
		this.save();
	}

	/** The conversation is gone (another device, pruned): start a fresh one. */
	private restart() {
		sessionStorage.removeItem(this.key);
		this.lines = [];
		this.actions = [];
		this.watermark = '0';
		void this.start();
	}

	private load(): Saved | null {
		try {
			const raw = sessionStorage.getItem(this.key);
			return raw ? (JSON.parse(raw) as Saved) : null;
		} catch {
			return null;
		}
	}

	private save() {
		const saved: Saved = { conversationId: this.conversationId, token: this.token, watermark: this.watermark, lines: this.lines, actions: this.actions, input: this.input };
		try {
			sessionStorage.setItem(this.key, JSON.stringify(saved));
		} catch {
			// storage full or blocked: the chat still works, a reload starts over
		}
	}
}
