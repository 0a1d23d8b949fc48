// Kept for tests under tests/: the helpers live in libs/testing (apps import them from there).
export { APPS, buildApp, freePort, runAppToExit, startApp, until, type AppName, type AppProcess } from '@maintwatch/testing';
