global using KubeExpose.Tests;
