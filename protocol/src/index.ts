export * from './errors';
export * from './events';
export * from './limits';
export * from './models';
export * from './schemas';
export * from './survey';
