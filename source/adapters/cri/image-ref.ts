/**
 * Docker-style reference normalisation, enough to match a configured sandbox image
 * ("pause:3.9", "registry.k8s.io/pause:3.9") against an image's repo tags and digests.
 */
export function normalizeImageRef(ref: string): string {
	let name = ref.trim();
	if (/^sha256:[0-9a-f]{64}$/.test(name)) return name;
	const slash = name.indexOf('/');
	const first = slash < 0 ? '' : name.slice(0, slash);
	const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
	if (!hasDomain) name = `docker.io/${slash < 0 ? 'library/' : ''}${name}`;
	const lastSegment = name.slice(name.lastIndexOf('/') + 1);
	if (!name.includes('@') && !lastSegment.includes(':')) name += ':latest';
	return name;
}

/** True when `ref` names this image by id, tag or digest. */
export function imageMatchesRef(image: {id: string; tags: string[]; digests: string[]}, ref: string): boolean {
	const wanted = normalizeImageRef(ref);
	if (image.id === ref || image.id === wanted) return true;
	return [...image.tags, ...image.digests].some(candidate => normalizeImageRef(candidate) === wanted);
}
