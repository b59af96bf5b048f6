import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';

/** Like ink-testing-library's render, with a terminal of a chosen size instead of a fixed 100 columns. */
class Stdout extends EventEmitter {
	frames: string[] = [];
	isTTY = false;
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
	lastFrame = () => this.frames.at(-1);
}

class Stdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
}

export function renderAt(tree: ReactElement, size: {columns: number; rows: number}) {
	const stdout = new Stdout(size.columns, size.rows);
	const stderr = new Stdout(size.columns, size.rows);
	const stdin = new Stdin();
	const instance = inkRender(tree, {stdout: stdout as any, stderr: stderr as any, stdin: stdin as any, debug: true, exitOnCtrlC: false, patchConsole: false});
	return {
		...instance,
		stdout,
		stdin,
		lastFrame: () => stdout.lastFrame() ?? '',
		/**
		 * Writes keys and waits for Ink to process them and render: for the next frame (up to
		 * a second: a key may change nothing), then a little longer for follow-up renders. A
		 * fixed pause alone loses the race on a loaded machine, where the timer can fire before
		 * React's scheduled render.
		 */
		press: async (keys: string) => {
			const before = stdout.frames.length;
			stdin.write(keys);
			const end = Date.now() + 1000;
			while (stdout.frames.length === before && Date.now() < end) await tick(5);
			await tick();
		},
	};
}

export const tick = (ms = 30) => new Promise(resolve => setTimeout(resolve, ms));

export const keys = {up: '\u001B[A', down: '\u001B[B', pageUp: '\u001B[5~', pageDown: '\u001B[6~', enter: '\r', escape: '\u001B', backspace: '\u007F'};

/** Strips SGR colour codes for text assertions. */
export const plain = (frame: string) => frame.replace(/\u001B\[[0-9;]*m/g, '');

/** Polls until `probe` is true (renders are asynchronous); fails after `ms`. */
export async function until(probe: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!probe()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await tick(20);
	}
}
