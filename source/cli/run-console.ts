/** Placeholder until the console lands: the console helper replaces this file. */
export async function runConsole(_flags: Record<string, unknown>): Promise<number> {
	process.stderr.write('layerscope: the console is not built yet; use `layerscope report`\n');
	return 2;
}
