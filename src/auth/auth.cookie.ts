export const AUTH_COOKIE = 'tongke_token';
