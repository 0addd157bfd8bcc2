/** The operation the offline explorer opens with: read-only, so running it as-is changes nothing. */
export const EXPLORER_DOCUMENT = `# Paste your API key above and press Enter, then
# run this with the run button or Ctrl+Enter.
# Ctrl+Space completes; the book icon shows docs.
# Tab moves between controls; Enter indents.
query Explore {
  viewer {
    environment
    organisation { name slug }
  }
  customers(first: 5) {
    totalCount
    edges {
      node {
        ref
        callCount
        lastCallAt
        openIntents { name attemptCount }
        variables { name value }
      }
    }
  }
}
`;
