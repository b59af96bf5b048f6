import {execFileSync} from 'node:child_process';
import {waitFor} from './lab.js';

/** One tmux server (own socket) running the real CLI at a fixed size, with every captured screen kept. */
export function tmuxSession(name: string, size = {columns: 80, rows: 24}) {
	const socket = `ls-${name}-${process.pid}`;
	const tmux = (...args: string[]) => execFileSync('/usr/bin/tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	const captures: string[] = [];
	const screen = () => {
		const text = tmux('capture-pane', '-p', '-t', name);
		captures.push(text);
		return text;
	};
	return {
		captures,
		screen,
		/** The screen with its attributes, as SGR escapes (capture-pane -e). */
		styled: () => tmux('capture-pane', '-e', '-p', '-t', name),
		start(env: Record<string, string>, command: string) {
			const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
			// `; sleep` keeps the pane after the CLI exits so its exit code can be read.
			tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), ...vars, `${command}; echo "exit=$?"; sleep 600`);
		},
		/** tmux key names ("Escape", "Enter", "Space") or literal text with {literal: true}. */
		send(keys: string, options: {literal?: boolean} = {}) {
			tmux('send-keys', '-t', name, ...(options.literal ? ['-l', keys] : [keys]));
		},
		/** Waits until the screen matches, returning it. */
		async until(what: string, probe: (text: string) => boolean, timeoutMs = 30_000) {
			try {
				return await waitFor(
					what,
					async () => {
						const text = screen();
						return probe(text) ? text : undefined;
					},
					timeoutMs,
				);
			} catch (error) {
				throw new Error(`${(error as Error).message}; the screen was:\n${captures.at(-1) ?? ''}`);
			}
		},
		/** Presses `key` until the line marked with the cursor (›) matches. */
		async cursorTo(what: RegExp, key = 'j', tries = 40) {
			const cursorLine = () =>
				screen()
					.split('\n')
					.find(l => l.startsWith('›'));
			let line = cursorLine();
			for (let i = 0; i < tries; i++) {
				if (line && what.test(line)) return line;
				tmux('send-keys', '-t', name, key);
				const before = line;
				line = await waitFor(
					`the cursor to move towards ${what}`,
					async () => {
						const now = cursorLine();
						return now !== before ? now : undefined;
					},
					10_000,
				);
			}
			throw new Error(`cursor never reached ${what}`);
		},
		kill() {
			try {
				tmux('kill-server');
			} catch {
				// already gone
			}
		},
	};
}
