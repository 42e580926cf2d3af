// Placeholder until this page is built.
export default function HostPage() {
  return <h1>HostPage</h1>;
}
