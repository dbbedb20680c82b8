/**
 * hls.js ships no typings for its light build (`hls.js/light`: no DRM, subtitles, alternate audio or
 * interstitials, none of which a class recording uses, at about two thirds of the size). Its API is the full one's.
 */
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
