from hoinghi.manage import main

main()
