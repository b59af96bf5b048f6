/**
 * NO_COLOR (https://no-color.org): when it is set and not empty, the console writes no
 * colour escapes. Ink's styles come from chalk, which knows only all or nothing (and
 * nothing would also drop the inverse cursor row), so the colour parameters are taken out
 * of each SGR sequence on the way to the terminal; bold, dim, inverse and underline stay.
 */

export const noColorWanted = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.NO_COLOR);

/** Colour parameters of one SGR sequence: 30–39, 40–49, 90–97, 100–107; 38/48/58 take 5;n or 2;r;g;b after them. */
function withoutColourParams(params: string): string | null {
	if (params === '') return params; // ESC[m: reset
	const parts = params.split(';');
	const kept: string[] = [];
	for (let i = 0; i < parts.length; i++) {
		const n = Number(parts[i]);
		if (n === 38 || n === 48 || n === 58) {
			i += parts[i + 1] === '5' ? 2 : parts[i + 1] === '2' ? 4 : 0;
			continue;
		}
		if ((n >= 30 && n <= 39) || (n >= 40 && n <= 49) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) || n === 59) continue;
		kept.push(parts[i]!);
	}
	return kept.length === 0 ? null : kept.join(';');
}

/** The text without colour: each SGR sequence keeps its other attributes, or goes when only colour was in it. */
export function stripColour(text: string): string {
	if (!text.includes('\u001B[')) return text;
	return text.replace(/\u001B\[([0-9;:]*)m/g, (_, params: string) => {
		const kept = withoutColourParams(params);
		return kept === null ? '' : `\u001B[${kept}m`;
	});
}

/** The same stream, writing without colour: Ink still sees its size, its events and isTTY. */
export function colourlessStream<T extends NodeJS.WriteStream>(stream: T): T {
	const write = (chunk: unknown, ...rest: unknown[]) => (stream.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? stripColour(chunk) : chunk, ...rest);
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') return write;
			const value = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
