/**
 * Image references as the engine reads them back. The Swarm engine stores a service's image with
 * the tag Docker implies (`prom/prometheus` comes back as `prom/prometheus:latest`), so a
 * reference written without one would show as a change on every preview.
 */

/** The reference with `:latest` added when it names neither a tag nor a digest. */
export function withDefaultTag(image: string): string {
    if (image.includes("@")) return image;
    // A colon before the last slash belongs to a registry host's port, not to a tag.
    const name = image.slice(image.lastIndexOf("/") + 1);
    return name.includes(":") ? image : `${image}:latest`;
}
