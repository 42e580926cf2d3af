// class-transformer ships its metadata storage untyped at this path; class-validator-jsonschema needs it to follow @Type() to nested DTOs.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
