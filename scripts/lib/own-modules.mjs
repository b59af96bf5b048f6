// An esbuild plugin for the bundles that run from dist/ (the entry, the commands' bundles): each
// of our modules keeps its own import.meta.url, the file tsc wrote for it under dist/, so that
// what it finds relative to itself (worker sources, the CRI proto, the other bundles) is what
// copy-assets and the other bundlers put there. `__lsUrl` is the bundle file's URL at run time.
import {readFileSync} from 'node:fs';
import {relative, sep} from 'node:path';

export function ownModules(name) {
	return {
		name,
		setup(build) {
			build.onLoad({filter: /\.tsx?$/}, args => {
				const rel = relative(process.cwd(), args.path).split(sep).join('/');
				if (rel.startsWith('..') || rel.includes('node_modules/')) return undefined;
				const url = `new URL(${JSON.stringify('./' + rel.replace(/\.tsx?$/, '.js'))}, __lsUrl).href`;
				const contents = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.url\b/g, url);
				return {contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts'};
			});
		},
	};
}
