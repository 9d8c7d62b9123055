/** The voice feature of the page (issue 9 items 3–7): what App.tsx mounts. */
export { CallAudio } from './CallAudio.js';
export { RingBadge, Voice } from './Voice.js';
