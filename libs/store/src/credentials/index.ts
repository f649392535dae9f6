export * from './credential-cache';
export * from './credentials.repository';
export * from './credentials.service';
export * from './credentials.module';
