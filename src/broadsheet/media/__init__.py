"""Uploaded images: `Image`, the upload and delete actions (`services`: checked from the
bytes, cleaned of metadata, with responsive renditions, files removed again when the write
fails), `srcset` and lazy loading in rendered posts (`html`), and the media library at
`/studio/media/`."""
