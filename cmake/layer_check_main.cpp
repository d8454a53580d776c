// The program of each layer check (cmake/keyaccountLayers.cmake): it runs nothing; linking it
// with one layer's objects and those of the layers below is the check.
int main() { return 0; }
