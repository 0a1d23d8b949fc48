export * from './maintenance';
export * from './names';
export * from './notices';
export * from './lifecycle';
export * from './device';
export * from './deadletter';
export * from './authenticity';
export * from './contracts';
