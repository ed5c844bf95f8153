// Types for the `minisearch/SearchableMap` subpath export (the tsconfig's node10 resolution ignores "exports").
declare module 'minisearch/SearchableMap' {
  import SearchableMap from 'minisearch/dist/es/SearchableMap';
  export default SearchableMap;
}
