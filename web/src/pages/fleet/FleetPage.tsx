// Placeholder until this page is built.
export default function FleetPage() {
  return <h1>FleetPage</h1>;
}
