// Placeholder until this page is built.
export default function AlertPage() {
  return <h1>AlertPage</h1>;
}
