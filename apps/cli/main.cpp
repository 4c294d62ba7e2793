#include <cstdio>
int main() { std::puts("secondear"); return 0; }
