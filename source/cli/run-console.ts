import {emptyFeedState, type ConsoleFeed, type FeedState} from '../services/console-feed.js';
import {errorReport, OperatorError} from '../domain/operator-error.js';

export interface ConsoleFlags {
	/** Open straight into this container's drill-down. */
	container?: string;
	runtimeEndpoint?: string;
	/** `layerscope guide`: open straight into the walkthrough. */
	start?: 'guide';
	host?: string;
	podmanHost?: string;
	runtime?: string;
	timeout?: number;
	dfTimeout?: number;
	interval?: number;
	debug?: boolean;
	readOnly?: boolean;
	auditLog?: string;
	kubeletConfig?: string;
	otherRoot?: string;
	kubeletRoot?: string;
}

const enterAltScreen = '\x1b[?1049h\x1b[?25l';
const leaveAltScreen = '\x1b[?25h\x1b[?1049l';

/** Shown until the engine modules are loaded: the first frame does not wait for dockerode. */
function pendingFeed(intervalMs: number, state: Partial<FeedState>): ConsoleFeed {
	const value: FeedState = {...emptyFeedState({intervalMs, progress: {phase: 'containers', done: 0, total: 0}}), ...state};
	return {getState: () => value, subscribe: () => () => {}, refresh: () => {}};
}

export type ConsoleUi = typeof import('../ui/console-entry.js');

/** The operator quit before the engines answered. */
/**
 * After the first engine answers, how long the console waits for the others before its first
 * figures (most answer within milliseconds); one slower than this joins when it answers.
 */
const CONNECT_GRACE_MS = 1500;

class QuitBeforeReady extends Error {
	constructor(readonly sources: ReadonlyArray<{close(): void}>) {
		super('quit before the engines answered');
	}
}

/**
 * The full-screen console. Needs a terminal; restores it (main screen, cursor)
 * on q, Ctrl-C, SIGTERM, SIGHUP and uncaught errors.
 */
export async function runConsole(flags: ConsoleFlags, ui: ConsoleUi, afterFirstFrame?: () => void): Promise<number> {
	const {stdout, stderr} = process;
	if (!stdout.isTTY || !process.stdin.isTTY) {
		stderr.write(errorReport(new OperatorError('the console needs a terminal', {hint: 'use `layerscope report` (or report --json) for scripts', code: 'NO_TTY'})));
		return 2;
	}
	const intervalMs = Math.max(0.2, flags.interval ?? 5) * 1000;
	// React's production build loads several times faster; the console never needs dev checks.
	process.env.NODE_ENV ??= 'production';
	// Ink draws only the last frame when CI is set; the console is interactive by definition
	// (stdout is a terminal, checked above), whatever build system started it.
	for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[key];
	const {render, createElement, App, CrashBoundary, colourlessStream, noColorWanted} = ui;

	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		stdout.write(leaveAltScreen);
	};
	stdout.write(enterAltScreen);
	process.on('exit', restore);

	// Read-only is decided once, before anything can reach an engine: the first frame already shows the banner.
	let services = (await import('./pending-services.js')).pendingServices(flags.readOnly);
	let stopFeed: () => Promise<void> = async () => {};
	let fatal: unknown;
	const initial = flags.start === 'guide' ? {screen: 'guide' as const, under: 'guide' as const} : flags.container ? {wanted: flags.container} : undefined;
	// An error thrown while any screen renders ends the console like a signal does (finish, below).
	const element = (feed: ConsoleFeed) => createElement(CrashBoundary, {onCrash: error => finish(2, error)}, createElement(App, {feed, services, ...(initial ? {initial} : {})}));
	// NO_COLOR: the same terminal, without colour escapes (bold, dim and inverse stay).
	const instance = render(element(pendingFeed(intervalMs, {})), {exitOnCtrlC: false, stdout: noColorWanted() ? colourlessStream(stdout) : stdout});
	// Taken now: Ink settles this promise only if it exists when the app exits, and `q` may come
	// before the engines answer (waitUntilExit called after that would never settle).
	let quit = false;
	const exited = instance.waitUntilExit().finally(() => {
		quit = true;
	});
	// Ink has drawn the first frame (synchronously, in render) before anything below starts.
	if (afterFirstFrame) setImmediate(afterFirstFrame);

	const finish = (code: number, error?: unknown, hangup = false) => {
		fatal ??= error;
		try {
			instance.unmount();
			restore();
		} catch {
			// the terminal is gone
		}
		if (error !== undefined) {
			stderr.write(errorReport(error, flags.debug));
		}
		// After a hangup the tty is gone and Node's exit-time tty reset aborts on EIO:
		// leave by the default SIGHUP action instead.
		const leave = hangup
			? () => {
					process.removeAllListeners('SIGHUP');
					process.kill(process.pid, 'SIGHUP');
				}
			: () => process.exit(code);
		void stopFeed().finally(leave);
		setTimeout(leave, 1000).unref();
	};
	const signals: Array<[NodeJS.Signals, number]> = [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	];
	for (const [signal, code] of signals) process.on(signal, () => finish(code, undefined, signal === 'SIGHUP'));
	process.on('uncaughtException', error => finish(2, error));
	process.on('unhandledRejection', error => finish(2, error));

	// Connects in the background: the console answers keys (q included) while engines are slow to answer.
	const start = async () => {
		const [{connectEnginesProgressively}, {DockerSampler}, {watchDocker}, {CriFeed}, {CombinedFeed}, {resolveKubeletEviction}] = await Promise.all([
			import('../services/engines.js'),
			import('../services/sampler.js'),
			import('../services/watch-docker.js'),
			import('../services/cri-feed.js'),
			import('../services/combined-feed.js'),
			import('../adapters/kubelet-config.js'),
		]);
		const eviction = resolveKubeletEviction({configPath: flags.kubeletConfig});
		// Every engine that answers (--runtime auto); none answering ends the console with one line and a hint, exit 2.
		// An engine that answers more than CONNECT_GRACE_MS after the first joins the console when it does.
		const {first, late} = await connectEnginesProgressively({runtime: flags.runtime, host: flags.host, podmanHost: flags.podmanHost, runtimeEndpoint: flags.runtimeEndpoint, timeout: flags.timeout ?? 10}, CONNECT_GRACE_MS);
		const {sources, notes} = first;
		if (quit) {
			void late.then(rest => {
				for (const source of rest.sources) source.close();
			});
			throw new QuitBeforeReady(sources);
		}
		const feedOf = (source: (typeof sources)[number], notices: string[]) => {
			if (!source.docker) return new CriFeed(source, {intervalMs, thresholds: eviction.thresholds});
			const sampler = new DockerSampler(source.docker, {intervalMs, dfTimeoutMs: (flags.dfTimeout ?? 120) * 1000, thresholds: eviction.thresholds, notices});
			// Sampled every interval; the engine's event stream keeps the list live in between
			// (LAYERSCOPE_EVENTS=0: polling only, the reference of bench/engine-loss.mjs).
			return process.env.LAYERSCOPE_EVENTS === '0' ? sampler : watchDocker(source.docker, sampler);
		};
		const feeds = sources.map((source, i) => feedOf(source, i === 0 ? [...eviction.warnings, ...notes] : []));
		const combined = new CombinedFeed(feeds);
		// Deleted-but-open files (issue 14) ride on the engines' feed: same snapshot, growth included.
		const {DeletedOpenFeed} = await import('../services/deleted-open-feed.js');
		const feed = new DeletedOpenFeed(combined, {intervalMs: Math.max(intervalMs, 5000)});
		let stopped = false;
		stopFeed = async () => {
			stopped = true;
			await feed.stop();
			await Promise.all(feeds.map(f => f.stop()));
			for (const source of sources) source.close();
		};
		instance.rerender(element(feed));
		feed.start();
		for (const f of feeds) f.start();
		// The actions' services: no mutation service exists in read-only mode.
		services = await (await import('./console-actions.js')).consoleServicesForSources([...sources], flags, services.readOnly);
		if (!quit) instance.rerender(element(feed));
		// Then the engines that answered late, if any.
		const rest = await late;
		if (stopped || quit) {
			for (const source of rest.sources) source.close();
			return;
		}
		for (const source of rest.sources) {
			const added = feedOf(source, []);
			sources.push(source);
			feeds.push(added);
			combined.add(added);
			added.start();
		}
		if (rest.notes.length > 0) combined.add(null, rest.notes);
		// The actions see the late engines too.
		if (rest.sources.length > 0) {
			services = await (await import('./console-actions.js')).consoleServicesForSources([...sources], flags, services.readOnly);
			if (!quit && !stopped) instance.rerender(element(feed));
		}
	};
	start().catch(error => {
		// Quit while connecting: nothing was started; close what answered and leave quietly.
		if (error instanceof QuitBeforeReady) for (const source of error.sources) source.close();
		else if (!quit) finish(2, error);
	});

	await exited;
	restore();
	await stopFeed();
	if (fatal !== undefined) return 2;
	setTimeout(() => process.exit(0), 500).unref();
	return 0;
}
