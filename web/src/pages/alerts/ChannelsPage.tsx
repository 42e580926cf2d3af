// Placeholder until this page is built.
export default function ChannelsPage() {
  return <h1>ChannelsPage</h1>;
}
